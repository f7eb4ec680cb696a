// The origin of a change this browser's user made by typing into a field. Undo tracks these (and
// the null origin of the app's own edits: add / remove a line, post / delete a card), never the
// provider's (someone else's edits arriving) or IndexedDB's (the stored copy loading).
export class LocalEdit {}
