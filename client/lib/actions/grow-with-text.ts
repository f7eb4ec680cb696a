// A textarea whose height follows its text. Chromium does it in CSS (field-sizing: content); other
// browsers (Firefox, Safari before field-sizing) get the height measured here, or a long worksheet
// line would stay one row tall and scroll out of sight inside a narrow column.
import { Y_TEXT_SET } from './y-text.ts';

const cssSizes = typeof CSS !== 'undefined' && CSS.supports('field-sizing', 'content');

export function growWithText(node: HTMLTextAreaElement) {
  if (cssSizes) return;
  const fit = () => {
    node.style.height = 'auto';
    // border-box sizing: the content's height (scrollHeight, padding included) plus the borders.
    node.style.height = `${node.scrollHeight + node.offsetHeight - node.clientHeight}px`;
  };
  // The width decides the wrapping: a resized window or column re-measures, in the next frame and
  // only for a new width (fit changes the height, which would otherwise notify the observer again:
  // "ResizeObserver loop completed with undelivered notifications").
  let width = node.clientWidth;
  let frame = 0;
  const resized = new ResizeObserver(() => {
    if (node.clientWidth === width) return;
    width = node.clientWidth;
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(fit);
  });
  resized.observe(node);
  node.addEventListener('input', fit);
  node.addEventListener(Y_TEXT_SET, fit);
  fit();
  return {
    destroy() {
      cancelAnimationFrame(frame);
      resized.disconnect();
      node.removeEventListener('input', fit);
      node.removeEventListener(Y_TEXT_SET, fit);
    },
  };
}
