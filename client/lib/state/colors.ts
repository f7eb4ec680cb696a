// Company colours: distinguishable on white and in print, assigned by the company's order in the event.
// Twelve, so a meetup of ten or so companies has no two alike: with eight, the 1st and 9th company
// (both red) could land in one breakout room, and the plenary's bar chart showed pairs in one colour.
// The first six (most sessions have no more companies) differ most in hue: the sixth was a
// teal that read as the third's green beside it (walkthrough).
const PALETTE = [
  '#c0392b', '#1f6fb2', '#2e8b57', '#8e44ad', '#d68910', '#c2185b', '#7f5539', '#00838f',
  '#7a8a00', '#3949ab', '#16a085', '#546e7a',
];

export function companyColor(index: number): string {
  return index < 0 ? '#666666' : PALETTE[index % PALETTE.length]!;
}
