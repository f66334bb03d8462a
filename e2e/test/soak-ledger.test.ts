/**
 * The soak's bookkeeping on its own: when is every acknowledged message
 * answered, and what counts as a duplicate. Small and exact, so a change to
 * the ledger cannot hang a 100k-message soak or hide a violation.
 */
import type { SentRecord } from '@medcita/testkit/simulator';
import { Ledger } from '../../tools/soak/ledger.js';

/** Two sessions of two messages: s0m0 s0m1 | s1m0 s1m1. */
function ledger(): Ledger {
  const l = new Ledger(4, Int32Array.from([0, 2, 4]));
  for (let g = 0; g < 4; g++) {
    l.register(g, `wamid.${g}`);
    l.ack(g);
  }
  return l;
}

const echo = (to: string, key: string, body: string): SentRecord => ({
  phoneNumberId: 'pn',
  to,
  type: 'text',
  payload: { biz_opaque_callback_data: key, text: { body } },
  messageId: `out.${key}`,
  receivedAt: Date.now(),
});
const session = (to: string) => Number(to.slice(1));

describe('soak ledger', () => {
  it('counts the messages of a turn set aside with the apology as answered, once', () => {
    const l = ledger();
    l.onSent(echo('u0', 'wamid.0:0', 'Recibí "s0m0"\nRecibí "s0m1"'), session, true);
    // Session 1's batch failed TURN_MAX_ATTEMPTS times; an earlier attempt had already echoed m0.
    l.onSent(echo('u1', 'wamid.2:0', 'Recibí "s1m0"'), session, true);
    l.onAudit('1-0', { rid: 'a', turn: 'wamid.0', wamids: 'wamid.0,wamid.1', outcome: 'ok', startedAt: '1', endedAt: '2' });
    l.onAudit('2-0', { rid: 'b', turn: 'wamid.2', wamids: 'wamid.2,wamid.3', outcome: 'dropped', startedAt: '3', endedAt: '4' });
    l.onSent(echo('u1', 'wamid.2:apology', 'Lo siento, tuve un problema'), session, true);
    expect({ consumed: l.consumedCount, echoed: l.echoedCount, answered: l.answeredCount, setAside: l.droppedTurns }).toEqual({
      consumed: 4,
      echoed: 3,
      answered: 4,
      setAside: 1,
    });
    expect(l.totalViolations).toBe(0);
  });

  it('still finds a message echoed twice and a message never consumed', () => {
    const l = ledger();
    l.onSent(echo('u0', 'wamid.0:0', 'Recibí "s0m0"'), session, true);
    l.onSent(echo('u0', 'wamid.1:0', 'Recibí "s0m0"\nRecibí "s0m1"'), session, true);
    l.onAudit('1-0', { rid: 'a', turn: 'wamid.0', wamids: 'wamid.0,wamid.1,wamid.2', outcome: 'ok', startedAt: '1', endedAt: '2' });
    l.checkLost();
    expect(l.violations.duplicateReplies.count).toBe(1);
    expect(l.violations.lostAcknowledged.count).toBe(1);
    expect(l.violations.lostAcknowledged.evidence[0]).toContain('wamid.3');
  });
});
