/**
 * Checks an outbound Graph API payload about as strictly as Meta does, so a
 * client bug shows up as a 400 in tests instead of in production. Returns
 * the problem in Meta's words-ish, or null when the payload is acceptable.
 * Lengths are counted in Unicode code points, as WhatsApp counts characters.
 */
export function checkSendPayload(p: Record<string, unknown>): string | null {
  if (p.messaging_product !== 'whatsapp') return 'messaging_product must be "whatsapp"';
  if (p.recipient_type !== undefined && p.recipient_type !== 'individual') return 'recipient_type must be "individual"';
  if (!nonEmpty(p.to) && !nonEmpty(p.recipient)) return 'to (phone number) or recipient (BSUID) is required';
  if (
    p.biz_opaque_callback_data !== undefined &&
    (typeof p.biz_opaque_callback_data !== 'string' || len(p.biz_opaque_callback_data) > 512)
  ) {
    return 'biz_opaque_callback_data must be a string of at most 512 characters';
  }
  switch (p.type) {
    case 'text':
      return checkText(p.text);
    case 'interactive':
      return checkInteractive(p.interactive);
    case 'template':
      return checkTemplate(p.template);
    case 'location':
      return checkLocation(p.location);
    default:
      return `type "${String(p.type)}" is not supported by the simulator (text, interactive, template, location)`;
  }
}

/** Mark-as-read (optionally with typing indicator). */
export function checkReadPayload(p: Record<string, unknown>): string | null {
  if (p.messaging_product !== 'whatsapp') return 'messaging_product must be "whatsapp"';
  if (p.status !== 'read') return 'status must be "read"';
  if (typeof p.message_id !== 'string' || !p.message_id.startsWith('wamid.')) return 'message_id must be a wamid';
  if (p.typing_indicator !== undefined) {
    const t = obj(p.typing_indicator);
    if (!t || t.type !== 'text') return 'typing_indicator.type must be "text"';
  }
  return null;
}

function obj(v: unknown): Record<string, unknown> | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

function nonEmpty(v: unknown): v is string {
  return typeof v === 'string' && v.trim() !== '';
}

function len(s: string): number {
  return [...s].length;
}

function textField(v: unknown, name: string, max: number): string | null {
  if (!nonEmpty(v)) return `${name} is required`;
  if (len(v) > max) return `${name} is longer than ${max} characters`;
  return null;
}

function checkLocation(l: unknown): string | null {
  const loc = obj(l);
  if (!loc) return 'location object is required';
  if (typeof loc.latitude !== 'number' || Math.abs(loc.latitude) > 90) return 'location.latitude must be a number in [-90, 90]';
  if (typeof loc.longitude !== 'number' || Math.abs(loc.longitude) > 180) return 'location.longitude must be a number in [-180, 180]';
  for (const field of ['name', 'address'] as const) {
    if (loc[field] !== undefined && !nonEmpty(loc[field])) return `location.${field} must be a non-empty string`;
  }
  return null;
}

function checkText(t: unknown): string | null {
  const text = obj(t);
  if (!text) return 'text object is required';
  if (text.preview_url !== undefined && typeof text.preview_url !== 'boolean') return 'text.preview_url must be boolean';
  return textField(text.body, 'text.body', 4096);
}

function checkHeaderFooter(i: Record<string, unknown>): string | null {
  if (i.header !== undefined) {
    const h = obj(i.header);
    if (!h || h.type !== 'text') return 'interactive.header.type must be "text"';
    const bad = textField(h.text, 'interactive.header.text', 60);
    if (bad) return bad;
  }
  if (i.footer !== undefined) {
    const bad = textField(obj(i.footer)?.text, 'interactive.footer.text', 60);
    if (bad) return bad;
  }
  return null;
}

function checkInteractive(v: unknown): string | null {
  const i = obj(v);
  if (!i) return 'interactive object is required';
  const action = obj(i.action);
  if (!action) return 'interactive.action is required';
  const common = checkHeaderFooter(i);
  if (common) return common;
  if (i.type === 'button') {
    const bad = textField(obj(i.body)?.text, 'interactive.body.text', 1024);
    if (bad) return bad;
    return checkButtons(action.buttons);
  }
  if (i.type === 'list') {
    const bad = textField(obj(i.body)?.text, 'interactive.body.text', 4096) ?? textField(action.button, 'interactive.action.button', 20);
    if (bad) return bad;
    return checkSections(action.sections);
  }
  return `interactive.type "${String(i.type)}" is not supported by the simulator (button, list)`;
}

function checkButtons(v: unknown): string | null {
  if (!Array.isArray(v) || v.length < 1 || v.length > 3) return 'interactive.action.buttons must have 1 to 3 buttons';
  const ids = new Set<string>();
  for (const b of v) {
    const button = obj(b);
    const reply = obj(button?.reply);
    if (!button || button.type !== 'reply' || !reply) return 'each button must be {type:"reply", reply:{id,title}}';
    const bad = textField(reply.id, 'button reply.id', 256) ?? textField(reply.title, 'button reply.title', 20);
    if (bad) return bad;
    if (ids.has(reply.id as string)) return 'button ids must be unique';
    ids.add(reply.id as string);
  }
  return null;
}

function checkSections(v: unknown): string | null {
  if (!Array.isArray(v) || v.length < 1 || v.length > 10) return 'interactive.action.sections must have 1 to 10 sections';
  const ids = new Set<string>();
  let rows = 0;
  for (const s of v) {
    const section = obj(s);
    if (!section) return 'each section must be an object';
    if (v.length > 1 || section.title !== undefined) {
      const bad = textField(section.title, 'section.title', 24);
      if (bad) return bad;
    }
    if (!Array.isArray(section.rows) || section.rows.length < 1) return 'each section needs at least one row';
    for (const r of section.rows) {
      const row = obj(r);
      if (!row) return 'each row must be an object';
      const bad = textField(row.id, 'row.id', 200) ?? textField(row.title, 'row.title', 24);
      if (bad) return bad;
      if (row.description !== undefined) {
        const badDescription = textField(row.description, 'row.description', 72);
        if (badDescription) return badDescription;
      }
      if (ids.has(row.id as string)) return 'row ids must be unique';
      ids.add(row.id as string);
      rows++;
    }
  }
  return rows > 10 ? 'a list message can have at most 10 rows in total' : null;
}

function checkTemplate(v: unknown): string | null {
  const t = obj(v);
  if (!t) return 'template object is required';
  if (!nonEmpty(t.name)) return 'template.name is required';
  if (!nonEmpty(obj(t.language)?.code)) return 'template.language.code is required';
  if (t.components === undefined) return null;
  if (!Array.isArray(t.components)) return 'template.components must be an array';
  for (const c of t.components) {
    const component = obj(c);
    if (!component) return 'each component must be an object';
    const params = component.parameters;
    if (!Array.isArray(params)) return 'component.parameters must be an array';
    if (component.type === 'body' || component.type === 'header') {
      for (const p of params) {
        const param = obj(p);
        if (!param || param.type !== 'text' || !nonEmpty(param.text))
          return `${String(component.type)} parameters must be {type:"text", text}`;
      }
    } else if (component.type === 'button') {
      if (component.sub_type !== 'quick_reply') return 'button component sub_type must be "quick_reply"';
      if (typeof component.index !== 'string' || !/^\d$/.test(component.index)) return 'button component index must be a digit string';
      const param = obj(params[0]);
      if (params.length !== 1 || !param || param.type !== 'payload' || !nonEmpty(param.payload))
        return 'quick_reply parameters must be [{type:"payload", payload}]';
    } else {
      return `component type "${String(component.type)}" is not supported by the simulator`;
    }
  }
  return null;
}
