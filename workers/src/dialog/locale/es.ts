/**
 * Every text the patient reads, in Spanish (another language is another file
 * of the same shape). WhatsApp style: short, friendly, one idea per message.
 * Button titles ≤ 20 characters, list row titles ≤ 24.
 */

const hi = (name?: string) => (name ? `, ${name}` : '');

export const es = {
  greeting: (name?: string) => `¡Hola${hi(name)}! 👋 Soy el asistente de citas de la clínica.`,
  greetingAgain: (name?: string) => `¡Hola de nuevo${hi(name)}! 👋`,
  askDocument: 'Para empezar, escríbeme tu número de documento (solo los números).',
  askDocumentFor: {
    book: 'Con gusto te ayudo a agendar. Primero escríbeme tu número de documento.',
    cancel: 'Te ayudo a cancelar. Primero escríbeme tu número de documento.',
    list: 'Te muestro tus citas. Primero escríbeme tu número de documento.',
    reschedule: 'Te ayudo a cambiar tu cita. Primero escríbeme tu número de documento.',
  },
  askDocumentForSpecialty: (specialty: string) => `Dale, te busco horarios de ${specialty} 🙌. Primero escríbeme tu número de documento.`,
  askBirthDate: 'Por seguridad necesito confirmar tus datos. ¿Cuál es tu fecha de nacimiento? (por ejemplo 31/12/1990)',
  birthDateFormat: 'Escríbeme tu fecha de nacimiento así: día/mes/año, por ejemplo 31/12/1990.',
  identityFailed: 'No pude verificar tus datos. Revisa tu número de documento y escríbelo otra vez.',
  identityLocked: 'Por seguridad pausé la verificación por un rato. Intenta más tarde o habla con una persona del equipo.',
  identified: (name: string) => `¡Gracias, ${name}! Ya te identifiqué ✅`,
  whatDoYouNeed: (name?: string) => `¿En qué te ayudo${hi(name)}? Puedes contarme tus síntomas o decirme la especialidad que necesitas.`,
  askSpecialty: 'Cuéntame qué síntomas tienes o qué especialidad necesitas (por ejemplo: cardiología).',
  confirmSpecialty: (names: string) => `Por lo que me cuentas, te puede atender: ${names}. ¿Cuál prefieres?`,
  otherSpecialty: 'Otra',
  slotsBody: (specialty: string, page: number, applied = '') =>
    page > 1
      ? `Más horarios de ${specialty}${applied ? ` · ${applied}` : ''}:`
      : applied
        ? `${specialty} · ${applied}\nElige uno 👇`
        : `Estos son los próximos horarios de ${specialty}. Elige uno 👇`,
  noMatch: (specialty: string, applied: string) => `No encontré horarios de ${specialty} para ${applied} 😕.`,
  nearest: 'Lo más cercano que tengo:',
  pickOne: 'Elige uno 👇',
  nearestAny: 'Estos son los próximos horarios disponibles:',
  otherSlots: 'Claro, aquí tienes otros horarios 👇',
  otherDays: 'Claro, te muestro otros días y horarios 👇',
  backToStart: 'Esos eran todos los horarios; te muestro de nuevo los primeros 👇',
  noOtherSlots: (specialty: string) =>
    `Por ahora no tengo otros horarios de ${specialty} 😕. Puedes elegir uno de la lista, pedirme otro día (por ejemplo "el viernes") o escribir "hablar con una persona".`,
  preferenceNoted: (applied: string) =>
    `Anotado: ${applied} 👍. ¿Para qué especialidad es la cita? Cuéntame tus síntomas o dime la especialidad.`,
  allSpecialties: (numbered: string) =>
    `Estas son nuestras especialidades:\n${numbered}\n\nEscríbeme el número o el nombre de la que necesitas.`,
  specialtyOpenQuestion:
    'Quiero mandarte con el especialista correcto 🙂. ¿Me cuentas un poco más? Por ejemplo qué sientes, desde cuándo, o si es un control de algo que ya tienes. Si sabes la especialidad, escríbemela.',
  slotsButton: 'Ver horarios',
  slotsSection: 'Horarios',
  moreRowTitle: 'Ver más ➡️',
  moreRowDescription: 'Más horarios',
  noSlots: (specialty: string) => `No encontré horarios libres de ${specialty} por ahora 😕. ¿Quieres probar otra especialidad?`,
  noMoreSlots: 'No hay más horarios por ahora. Puedes elegir uno de la lista anterior.',
  pickFromList: 'Elige un horario de la lista (por ejemplo "la 3") o escribe "más" para ver otros.',
  noShownSlotMatches: 'No veo ese horario en la lista 🤔. Elige uno de la lista (por ejemplo "la 3") o escribe "más" para ver otros.',
  severalSlotsMatch: 'Hay más de un horario a esa hora. ¿Cuál prefieres?',
  severalSlotsMatchTyped: (rows: string[]) =>
    `Hay más de un horario a esa hora:\n${rows.join('\n')}\n¿Cuál prefieres? (por ejemplo "la 3")`,
  slotTaken: 'Uy, ese horario se acaba de ocupar 😕.',
  /** After slotTaken or holdExpired, when a fresh list follows in the same bubble. */
  othersBelow: 'Te muestro otros disponibles:',
  /** A tapped row that is not on the list the dialog last sent (an older list). */
  staleList: 'Esa lista ya no está al día.',
  availableNow: 'Estos son los horarios disponibles ahora:',
  confirmSlot: (when: string, doctor: string, clinic: string, minutes: number, patient: string) =>
    `Te reservé este horario por ${minutes} minutos:\n📅 ${when}\n👩‍⚕️ ${doctor}\n🏥 ${clinic}\n👤 Paciente: ${patient}\n¿Confirmo la cita?`,
  confirmButton: 'Sí, confirmar',
  otherSlotButton: 'Otro horario',
  confirmOrChange: 'Responde "sí" para confirmar o "otro" para elegir otro horario.',
  booked: (name: string, when: string, doctor: string, clinic: string, dependent?: string) =>
    `¡Listo, ${name}! ${dependent ? `La cita de ${dependent}` : 'Tu cita'} quedó agendada ✅\n📅 ${when}\n👩‍⚕️ ${doctor}\n🏥 ${clinic}\n👤 Paciente: ${dependent ?? name}`,
  rescheduled: 'Y cancelé tu cita anterior.',
  rescheduleCancelPending: 'Tu cita anterior la cancelo en cuanto el sistema de la clínica responda; no quedarás con dos citas.',
  previousCancelled: 'Listo: ya cancelé tu cita anterior, como quedamos al reprogramar.',
  bookingUnknown:
    'El sistema de la clínica no me confirmó tu cita a tiempo 🙏. Escríbeme *sí* en un momento y reviso si quedó agendada; no se agendará dos veces.',
  holdExpired: 'La reserva de ese horario venció.',
  noAppointments: (name?: string) => `No tienes citas próximas${hi(name)}. ¿Quieres agendar una?`,
  appointmentsList: (lines: string[]) => `Tus próximas citas:\n${lines.join('\n')}`,
  appointmentLine: (n: number, when: string, specialty: string, doctor: string, patient: string) =>
    `${n}. ${when} · ${specialty} · ${doctor} · 👤 ${patient}`,
  pickAppointmentCancel: '¿Cuál cita quieres cancelar?',
  pickAppointmentReschedule: '¿Cuál cita quieres cambiar?',
  appointmentsButton: 'Ver mis citas',
  appointmentsSection: 'Tus citas',
  confirmCancel: (when: string, specialty: string, dependent?: string) =>
    `¿Cancelo ${dependent ? `la cita de ${dependent}` : 'tu cita'} de ${specialty} del ${when}?`,
  cancelButton: 'Sí, cancelar',
  keepButton: 'No, mantener',
  cancelled: 'Listo, tu cita quedó cancelada. ¿Te ayudo con algo más?',
  kept: 'Perfecto, tu cita sigue en pie 👍',
  cancelTooLate: 'Esa cita ya no se puede cancelar por aquí. Llama a la clínica, por favor.',
  cancelGone: 'Esa cita ya no está activa.',
  rescheduleIntro: (specialty: string) => `Busquemos un nuevo horario de ${specialty}.`,
  clarify: 'No estoy seguro de haberte entendido 🤔. ¿Qué necesitas?',
  offerPerson: 'Perdón, no te estoy entendiendo 😅. ¿Quieres que te comunique con una persona del equipo?',
  personYes: 'Sí, con persona',
  help: 'Puedo ayudarte a:\n• Agendar una cita (cuéntame tus síntomas o la especialidad)\n• Ver tus citas\n• Cancelar o cambiar una cita\n• Darte la dirección, horarios, precios y seguros de la clínica\n• Hablar con una persona',
  onlyText: 'Por ahora solo entiendo mensajes de texto 🙂. Puedo ayudarte a agendar, ver, cambiar o cancelar citas.',
  handoff: 'Te comunico con una persona del equipo 🙋. Te escribirán por aquí en cuanto puedan.',
  /** Nobody took a handoff in time (sent by the handoff timer, workers/src/handoff). */
  handoffTimeout: 'Perdón, nadie del equipo pudo atenderte ahora 🙏. Sigo yo por aquí: escríbeme lo que necesitas.',
  goodbye: (name?: string) => `¡Hasta pronto${hi(name)}! Cuídate 🙌`,
  thanks: '¡Con gusto! ¿Te ayudo con algo más?',
  expired: 'Tu sesión expiró por inactividad ⏱️. Empecemos de nuevo.',
  unavailable: 'No puedo consultar la agenda en este momento 🙏. Intenta más tarde, por favor.',
  reminder: {
    /** Interactive reminder (inside the 24-hour window); the template outside it carries the same facts. */
    body: (name: string, specialty: string, when: string, doctor: string, clinic: string, dependent?: string) =>
      `¡Hola, ${name}! 👋 Te recordamos ${dependent ? `la cita de ${dependent}` : 'tu cita'} de ${specialty} ${when}\n👩‍⚕️ ${doctor}\n🏥 ${clinic}\n¿Nos confirmas ${dependent ? 'la' : 'tu'} asistencia?`,
    /** The template's doctor parameter, naming the dependent (templates have fixed parameters). */
    doctorFor: (doctor: string, dependent: string) => `${doctor} (paciente: ${dependent})`,
    confirmButton: 'Confirmar',
    cancelButton: 'Cancelar',
    confirmed: (name: string, specialty: string, when: string, dependent?: string) =>
      `¡Gracias, ${name}! ${dependent ? `La cita de ${dependent}` : 'Tu cita'} de ${specialty} del ${when} quedó confirmada ✅ Te esperamos.`,
    alreadyCancelled: 'Esa cita ya fue cancelada. Si quieres, te ayudo a agendar otra.',
    gone: 'Esa cita ya no está activa o ya pasó. ¿Te ayudo con algo más?',
    notYours: 'No encontré esa cita entre las tuyas 🤔. Si necesitas ayuda, escribe "mis citas" o "ayuda".',
  },
  info: {
    address: (clinic: string, address: string) => `📍 ${clinic}: ${address}`,
    addresses: (lines: string) => `📍 Nuestras clínicas:\n${lines}`,
    hours: (clinic: string, hours: string) => `🕒 ${clinic} atiende ${hours}.`,
    hoursEach: (lines: string) => `🕒 Horarios de atención:\n${lines}`,
    phone: (clinic: string, phone: string) => `📞 ${clinic}: ${phone}`,
    phones: (lines: string) => `📞 Teléfonos:\n${lines}`,
    insurance: (clinic: string, list: string) => `🧾 En ${clinic} aceptamos: ${list}.`,
    insuranceEach: (lines: string) => `🧾 Seguros que aceptamos:\n${lines}`,
    price: (specialty: string, price: string) => `💵 La consulta de ${specialty} cuesta ${price}.`,
    prices: (lines: string) => `💵 Precio de la consulta por especialidad:\n${lines}`,
    bring: (lines: string) => `🎒 Para tu cita trae:\n${lines}`,
    preparation: (specialty: string, text: string) => `📝 ${specialty}: ${text}`,
    noPreparation: (specialty: string) => `📝 Para ${specialty} no necesitas ninguna preparación especial.`,
    preparationAsk: (fasting: string) =>
      `📝 Depende de la especialidad${fasting ? `: para ${fasting} hay que ir en ayunas` : ''}. Dime cuál es y te cuento.`,
    resumeConfirm: (when: string, doctor: string) => `Tu horario sigue reservado 👉 ${when} con ${doctor}. ¿Confirmo la cita?`,
    resumeList: 'Los horarios de la lista siguen disponibles: elige uno cuando quieras 👆',
    resumeSpecialty: 'Cuando quieras, elige la especialidad con los botones de arriba 👆',
    resumeCancel: 'Sigamos con tu cita: responde con los botones de arriba 👆',
    resumeDocument: 'Si quieres agendar una cita, escríbeme tu número de documento.',
    anythingElse: '¿Te ayudo con algo más? Puedo agendarte una cita 🙂',
  },
  preference: {
    weekdays: ['domingo', 'lunes', 'martes', 'miércoles', 'jueves', 'viernes', 'sábado'],
    relative: (offset: number) => (offset === 0 ? 'hoy' : offset === 1 ? 'mañana' : offset === 2 ? 'pasado mañana' : `en ${offset} días`),
    date: (dayMonth: string) => `el ${dayMonth}`,
    thisWeek: 'esta semana',
    nextWeek: 'la próxima semana',
    weekend: 'el fin de semana',
    parts: { manana: 'por la mañana', tarde: 'por la tarde', noche: 'por la noche', temprano: 'temprano', mediodia: 'al mediodía' },
    after: (time: string) => `después de las ${time}`,
    before: (time: string) => `antes de las ${time}`,
    at: (time: string) => `a las ${time}`,
  },
  registration: {
    /** Default of REGISTRATION_CONSENT_TEXT, the clinic's data-processing notice. */
    defaultConsent:
      'La clínica guarda tu nombre, documento, fecha de nacimiento y teléfono solo para gestionar tus citas y tu atención. No los compartimos con terceros salvo obligación legal. Puedes pedir verlos, corregirlos o borrarlos cuando quieras.',
    /** Same words whether or not the document exists: only the sender's own phone decides that it is offered. */
    offer:
      'No encontré tus datos con ese documento y esa fecha 🤔. Si es tu primera vez con nosotros, te registro ahora mismo 📝: escríbeme tu nombre completo (nombres y apellidos).\nSi te equivocaste, escríbeme tu número de documento otra vez.',
    askName: 'Escríbeme tu nombre completo: nombres y apellidos (por ejemplo: Ana María Rojas Pérez).',
    askConsent: (name: string, birthDate: string, document: string, consent: string) =>
      `Voy a registrarte con estos datos:\n👤 ${name}\n🎂 ${birthDate}\n🪪 ${document}\n\n${consent}\n\n¿Aceptas?`,
    acceptButton: 'Acepto',
    declineButton: 'No acepto',
    consentReminder: 'Para registrarte necesito que aceptes el tratamiento de tus datos: toca "Acepto" o "No acepto".',
    declined:
      'Entendido, no guardé tus datos. Sin ese permiso no puedo registrarte por aquí; si cambias de opinión, escríbeme tu número de documento. También puedes hablar con una persona del equipo.',
    invalid: 'Algún dato no parece correcto 🤔. Revisa tu número de documento y escríbelo otra vez, por favor.',
    done: (name: string) => `¡Listo, ${name}! Ya estás registrado ✅`,
  },
  family: {
    askWho: (relation?: string) =>
      relation ? `¿La cita es para tu ${relation}? Elige quién es o registra a alguien nuevo 👇` : '¿Para quién es la cita? 👇',
    whoButton: 'Elegir persona',
    whoSection: 'Paciente',
    self: 'Para mí',
    selfDescription: (name: string) => `${name} (titular)`,
    newPerson: 'Otra persona ➕',
    newPersonDescription: 'Registrar un familiar',
    age: (years: number) => (years === 0 ? 'menos de 1 año' : years === 1 ? '1 año' : `${years} años`),
    repromptWho: 'Elige de la lista para quién es la cita, o escribe "otra persona" para registrar a alguien.',
    askName: (relation?: string) => `Registremos a ${relation ? `tu ${relation}` : 'tu familiar'} 📝. ¿Cómo se llama? (nombre y apellido)`,
    askBirthDate: (name: string) => `¿Cuál es la fecha de nacimiento de ${name}? (por ejemplo 31/12/2019)`,
    birthDateFormat: (name: string) => `Escríbeme la fecha de nacimiento de ${name} así: día/mes/año, por ejemplo 31/12/2019.`,
    invalid: 'Algún dato no parece correcto 🤔. Escríbeme su nombre y su fecha de nacimiento otra vez, por favor.',
    added: (name: string) => `Listo, registré a ${name} ✅`,
    chosen: (name: string) => `Perfecto, la cita es para ${name} 👍`,
    askNeedFor: (name: string) => `¿Qué necesita ${name}? Cuéntame sus síntomas o la especialidad (por ejemplo: pediatría).`,
  },
  specialties: {
    medicina_general: 'Medicina General',
    cardiologia: 'Cardiología',
    pediatria: 'Pediatría',
    ginecologia: 'Ginecología',
    dermatologia: 'Dermatología',
    traumatologia: 'Traumatología',
    odontologia: 'Odontología',
    oftalmologia: 'Oftalmología',
    neumologia: 'Neumología',
    gastroenterologia: 'Gastroenterología',
    psicologia: 'Psicología',
    otorrinolaringologia: 'Otorrinolaringología',
  },
  /** What the pipeline says on its own, whatever the dialog (workers/src/pipeline). */
  pipeline: {
    apology: 'Perdón, tuve un problema con tu último mensaje 😓. ¿Me lo puedes escribir de nuevo?',
    rateDeferred:
      'Recibí muchos mensajes seguidos 🙏. Los que faltan los respondo en orden en un minuto más o menos; no hace falta repetirlos.',
    rateDiscarded:
      'Recibí demasiados mensajes seguidos 🙏 y los últimos no los alcancé a leer. Respondo en orden los anteriores; cuando te responda, escríbeme otra vez lo que faltó.',
  },
  buttons: {
    book: 'Agendar cita',
    list: 'Mis citas',
    cancel: 'Cancelar cita',
    reschedule: 'Cambiar cita',
    human: 'Hablar con persona',
    help: 'Ayuda',
  },
} as const;

export type DialogTexts = typeof es;
