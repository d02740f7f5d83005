// Tells the host how big the content is whenever that changes, so the host sizes the frame to fit.

import type { Rpc } from './rpc.js';

export function reportSize(rpc: Rpc): () => void {
  let sent = { width: 0, height: 0 };
  const measure = () => {
    // The root element is as tall as the content (style.css sets no height on it), whatever the frame's height.
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    const width = Math.ceil(window.innerWidth);
    if (height === sent.height && width === sent.width) return;
    sent = { width, height };
    rpc.notify('ui/notifications/size-changed', sent);
  };
  // ResizeObserver calls back at most once a frame, after layout: no debounce needed.
  const observer = new ResizeObserver(measure);
  observer.observe(document.documentElement);
  observer.observe(document.body);
  measure();
  return () => observer.disconnect();
}
