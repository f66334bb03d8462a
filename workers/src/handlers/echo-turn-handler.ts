import type { InboxEntry } from '@medcita/shared';
import type { TurnHandler, TurnInput, TurnOutput } from '../pipeline/ports.js';

const KIND_NAMES: Record<string, string> = {
  text: 'un mensaje de texto',
  interactive: 'una respuesta a botones',
  button: 'una respuesta a una plantilla',
  image: 'una imagen',
  audio: 'un audio',
  video: 'un video',
  document: 'un documento',
  sticker: 'un sticker',
  location: 'una ubicación',
  contacts: 'un contacto',
  reaction: 'una reacción',
};

function describe(entry: InboxEntry): string {
  const { message } = entry;
  const what = KIND_NAMES[message.kind] ?? 'un tipo de mensaje que todavía no sé leer';
  return message.text ? `${what}: "${message.text}"` : what;
}

/**
 * A minimal, honest stand-in until the appointment dialog lands: it greets a
 * new conversation and says what it understood of each message's type. It is
 * replaced by the dialog handler; nothing else depends on its wording.
 */
export class EchoTurnHandler implements TurnHandler {
  async handle(input: TurnInput): Promise<TurnOutput> {
    const turns = Number(input.state.turns ?? '0') + 1;
    const name = input.entries.find((e) => e.message.profileName)?.message.profileName;
    const lines = input.entries.map((e) => `• Recibí ${describe(e)}`);
    const greeting = turns === 1 ? `¡Hola${name ? ` ${name}` : ''}! Soy el asistente de citas (modo de prueba).\n` : '';
    return {
      state: { turns: String(turns) },
      replies: [{ kind: 'text', body: `${greeting}${lines.join('\n')}` }],
      audit: { handler: 'echo', messages: String(input.entries.length) },
    };
  }
}
