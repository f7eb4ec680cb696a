// Company colours: distinguishable on white and in print, assigned by the company's order in the event.
const PALETTE = ['#c0392b', '#1f6fb2', '#2e8b57', '#8e44ad', '#d68910', '#16a085', '#7f5539', '#c2185b'];

export function companyColor(index: number): string {
  return index < 0 ? '#666666' : PALETTE[index % PALETTE.length]!;
}
