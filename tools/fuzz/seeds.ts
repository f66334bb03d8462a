import {
  accountUpdateBody,
  content,
  DEFAULT_BUSINESS,
  inbound,
  simUser,
  statusUpdate,
  templateStatusBody,
  webhookBody,
} from '@medcita/testkit/simulator';

/**
 * Real deliveries as the simulator builds them (the shapes Meta sends): every
 * inbound message type, statuses (with an echoed callback and a failure),
 * several messages in one value, BSUID-only users, other fields. The fuzzer
 * mutates these, so the bytes it tries look like Meta's until they do not.
 */
export function seedBodies(): unknown[] {
  const phone = simUser(1);
  const bsuid = simUser(2, { withUserId: true });
  const phoneless = simUser(3, { phoneless: true });
  const other = { ...DEFAULT_BUSINESS, phoneNumberId: '109999999999999' };
  return [
    webhookBody([inbound(phone, content.text('hola, quiero una cita para mañana'))]),
    webhookBody([inbound(bsuid, content.buttonReply('affirm', 'Sí, confirmar'))]),
    webhookBody([inbound(phoneless, content.listReply('slot:abc', 'jue 26 nov 08:30', 'Dra. Rojas'))]),
    webhookBody([inbound(phone, content.templateButton('recordatorio:ok', 'Confirmo'))]),
    webhookBody([inbound(phone, content.image({ caption: 'mi orden' })), inbound(phone, content.audio({ voice: true }))], {
      group: 'value',
    }),
    webhookBody([inbound(phone, content.document({ filename: 'receta.pdf' })), inbound(bsuid, content.sticker())]),
    webhookBody([inbound(phone, content.location(-16.5, -68.15, { name: 'Clínica', address: 'Av. 6 de Agosto' }))]),
    webhookBody([inbound(phone, content.contacts([{ name: 'Ana Pérez', phone: '+591 70000001' }]))]),
    webhookBody([inbound(phone, content.reaction('wamid.X', '👍')), inbound(phone, content.unsupported())], { group: 'value' }),
    webhookBody([inbound(phone, content.system('cambió de número', { newWaId: '59170000099' }))]),
    webhookBody([inbound(phone, content.text('la de las 10'), { contextId: 'wamid.previous', business: other })]),
    webhookBody([
      inbound(phone, content.text('uno')),
      inbound(phone, content.text('dos')),
      inbound(bsuid, content.text('tres')),
      statusUpdate(phone, 'wamid.out1', 'delivered'),
    ]),
    webhookBody([statusUpdate(phone, 'wamid.out2', 'sent', { callbackData: 'wamid.in:0' })]),
    webhookBody([statusUpdate(bsuid, 'wamid.out3', 'read'), statusUpdate(phone, 'wamid.out4', 'failed', { errorCode: 131047 })], {
      group: 'value',
    }),
    accountUpdateBody(),
    templateStatusBody('retomar_conversacion', 'APPROVED'),
  ];
}
