// Sets the browser tab's title while a page is shown (see page-title.ts) and puts the previous
// one back when the page goes.
export { titleFor } from './page-title.ts';

export function usePageTitle(title: () => string | null | undefined): void {
  $effect(() => {
    const previous = document.title;
    const next = title();
    if (next) document.title = next;
    return () => {
      document.title = previous;
    };
  });
}
