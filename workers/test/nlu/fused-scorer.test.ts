import { loadArtifact } from '../../src/nlu/artifact.js';
import { DEV_FILE, readExamplesFile } from '../../src/nlu/dataset.js';
import { featuresOfNormalized, phoneticWords } from '../../src/nlu/features.js';
import { FusedScorer } from '../../src/nlu/fused-scorer.js';
import { predictProba } from '../../src/nlu/linear-model.js';
import { normalize } from '../../src/nlu/normalize.js';
import { defaultArtifactPath } from '../../src/nlu/paths.js';

describe(FusedScorer.name, () => {
  const artifact = loadArtifact(defaultArtifactPath(null));
  const config = artifact.file.features;
  const texts = [...readExamplesFile(DEV_FILE).map((e) => e.text), '', '👍', 'xq zzkw plo', 'la la la la'];

  it('serves exactly the probabilities the trained models give (cached word sums included)', () => {
    const scorer = new FusedScorer(artifact.intent, artifact.specialty);
    // Twice: the second round is served from the word cache.
    for (let round = 0; round < 2; round++) {
      for (const text of texts) {
        const normalized = normalize(text);
        const x = featuresOfNormalized(normalized, config);
        const [intents, specialties] = scorer.scoreWords(phoneticWords(normalized), config);
        const expectedIntents = Array.from(predictProba(artifact.intent, x));
        const expectedSpecialties = Array.from(predictProba(artifact.specialty, x));
        Array.from(intents).forEach((p, k) => expect(Math.abs(p - (expectedIntents[k] as number))).toBeLessThan(1e-5));
        Array.from(specialties).forEach((p, k) => expect(Math.abs(p - (expectedSpecialties[k] as number))).toBeLessThan(1e-5));
      }
    }
  });
});
