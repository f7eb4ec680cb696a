// Company colours: distinguishable on white and in print, assigned by the company's order in the event.
// Twelve, so a meetup of ten or so companies has no two alike: with eight, the 1st and 9th company
// (both red) could land in one breakout room, and the plenary's bar chart showed pairs in one colour.
const PALETTE = [
  '#c0392b', '#1f6fb2', '#2e8b57', '#8e44ad', '#d68910', '#16a085', '#7f5539', '#c2185b',
  '#7a8a00', '#3949ab', '#00838f', '#546e7a',
];

export function companyColor(index: number): string {
  return index < 0 ? '#666666' : PALETTE[index % PALETTE.length]!;
}
