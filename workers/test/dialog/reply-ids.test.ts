import { parseReplyId, replyId } from '../../src/dialog/reply-ids.js';

describe('reply ids', () => {
  it('reads back what it builds', () => {
    expect(parseReplyId(replyId.slot('doc-03-203003040900'))).toEqual({ kind: 'slot', id: 'doc-03-203003040900' });
    expect(parseReplyId(replyId.appointment('a:1'))).toEqual({ kind: 'appointment', id: 'a:1' });
    expect(parseReplyId(replyId.specialty('pediatria'))).toEqual({ kind: 'specialty', code: 'pediatria' });
    expect(parseReplyId(replyId.person('self'))).toEqual({ kind: 'person', id: 'self' });
    expect(parseReplyId(replyId.reminder('cancel', 'apt-9'))).toEqual({ kind: 'reminder', action: 'cancel', appointmentId: 'apt-9' });
  });

  it('keeps the wire spelling WhatsApp already holds in sent messages', () => {
    expect([replyId.slot('x'), replyId.appointment('x'), replyId.specialty('cardiologia'), replyId.person('new')]).toEqual([
      'slot:x',
      'appt:x',
      'spec:cardiologia',
      'dep:new',
    ]);
    expect(replyId.reminder('confirm', 'x')).toBe('reminder:confirm:x');
  });

  it('names nothing for foreign ids, unknown specialties and malformed reminder payloads', () => {
    for (const id of [undefined, '', 'book_appointment', 'more_options', 'spec:astrologia', 'reminder:maybe:x', 'reminder:cancel:a b'])
      expect(parseReplyId(id)).toBeUndefined();
  });
});
