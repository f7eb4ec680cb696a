// What a board announces in a room document's awareness, as both ends check it: the colour goes
// into a style attribute, so only a #hex colour is taken (a participant's 'red; position: fixed;
// inset: 0' covered every board in the room).

const HEX_COLOR = /^#[0-9a-fA-F]{3,8}$/;

/** A presence colour as boards announce one (#rgb … #rrggbbaa). */
export function isPresenceColor(value: unknown): value is string {
  return typeof value === 'string' && HEX_COLOR.test(value);
}
