import { fold } from '../preferences/text.js';

export const INFO_TOPICS = ['address', 'hours', 'phone', 'price', 'insurance', 'bring', 'preparation'] as const;
export type InfoTopic = (typeof INFO_TOPICS)[number];

// On folded text (lowercase, no accents). Written for how people ask, typos included ("direcion", "telefno").
const PATTERNS: [InfoTopic, RegExp][] = [
  [
    'address',
    /\b(?:donde (?:queda|quedan|esta|estan|se encuentra|se ubica|atienden|es|seria|sera|son|hay)\b(?! sea)|direcc?ion|direcion|ubicacion|ubicados|como (?:llego|llegar|hago para llegar)|en que (?:calle|zona|lugar)|mapa|la locacion)\b/,
  ],
  [
    'hours',
    /\b(?:a que hora (?:abren|cierran|atienden|habren)|hasta que hora|desde que hora|horarios? de (?:atencion|la clinica|apertura)|que horarios? (?:tienen|atienden)|atienden (?:el |los )?(?:sabados?|domingos?|feriados?|fines de semana)|abren (?:el |los )?(?:sabados?|domingos?|feriados?|hoy)|que dias (?:atienden|abren|trabajan)|estan abiertos|horario de oficina)\b/,
  ],
  [
    'phone',
    /\b(?:(?<!mi )(?:telefono|telefno)|numero (?:de (?:telefono|contacto|la clinica)|para llamar)|a que numero|como (?:los|les) (?:llamo|contacto)|celular de la clinica|whatsapp de la clinica)\b/,
  ],
  [
    'price',
    /\b(?:cuanto (?:cuesta|cuestan|sale|salen|cobran|vale|es la consulta|esta la consulta|me va a salir)|precios?|(?:el|que|cual es el|de) costo|costo de (?:la|una)|tarifas?|valor de la (?:consulta|ficha)|cuanto pago|que precio)\b/,
  ],
  [
    'insurance',
    /\b(?:(?:que|los|el|mi|su|tu|con|tengo|aceptan|acepta|reciben|trabajan con)(?: el| mi| algun)? seguros?|seguros? (?:medicos?|de salud|aceptan)|aseguradora|caja (?:nacional|petrolera|de salud|bancaria)|aceptan (?:la )?caja|prepago|cobertura|obra social)\b/,
  ],
  [
    'bring',
    /\b(?:que (?:tengo que|debo|hay que|necesito|tendria que) (?:llevar|traer|presentar)|que (?:llevo|traigo)|requisitos|que documentos)\b/,
  ],
  [
    'preparation',
    /\b(?:ayunas?|ayuno|preparacion|prepararme|preparar(?:me)? para|puedo (?:comer|desayunar|tomar)|tengo que ir sin comer)\b/,
  ],
];

// Cheap gate before the patterns: nearly every question names one of these stems.
const MAYBE =
  /d[oó]nde|direc|ubic|lleg|mapa|hora|tel|n[uú]mero|whats|cu[aá]nto|precio|cost|tarifa|valor|pago|seguro|asegur|caja|prepago|cobertura|obra|llevar|traer|presentar|llevo|traigo|requisit|documentos|ayun|prepar|comer|desayun|abiert|abren|cierran|atienden/i;

/** The clinic-information topics a message asks about, in a fixed order; empty when none. */
export function readInfoQuestion(text: string): InfoTopic[] {
  if (!text || !MAYBE.test(text)) return [];
  // Chat shorthand: "q" for "que", "x" for "por", "tel" for "teléfono".
  const t = fold(text)
    .replace(/\bq\b/g, 'que')
    .replace(/\bx\b/g, 'por')
    .replace(/\btel\b/g, 'telefono');
  return PATTERNS.filter(([, pattern]) => pattern.test(t)).map(([topic]) => topic);
}
