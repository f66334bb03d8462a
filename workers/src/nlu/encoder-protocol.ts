import type { ProgressInfo } from '@huggingface/transformers';

/** What the encoder thread is started with (already resolved: no config parsing on the thread). */
export interface ThreadSettings {
  readonly modelId: string;
  /** Absolute, with a trailing slash. */
  readonly modelDir: string;
  readonly cacheDir?: string;
  /** With a trailing slash, as transformers.js' `env.remoteHost`. */
  readonly hubUrl?: string;
  readonly offline: boolean;
  readonly dtype: 'fp32' | 'fp16' | 'q8' | 'int8' | 'uint8' | 'q4' | 'bnb4' | 'q4f16';
  readonly device: 'cpu' | 'cuda' | 'dml' | 'webgpu';
  readonly prefix: string;
  readonly threads: number;
  readonly warmupTexts: string[];
}

export type ThreadRequest = { readonly type: 'embed'; readonly id: number; readonly texts: string[] } | { readonly type: 'close' };

export type ThreadResponse =
  | { readonly type: 'progress'; readonly info: ProgressInfo }
  | { readonly type: 'ready'; readonly dim: number; readonly loadMs: number; readonly warmupMs: number; readonly inferences: number }
  | { readonly type: 'failed'; readonly message: string }
  | { readonly type: 'result'; readonly id: number; readonly data: Float32Array; readonly dim: number }
  | { readonly type: 'error'; readonly id: number; readonly message: string }
  | { readonly type: 'closed' };
