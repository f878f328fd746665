/* WCAG 2.5.8: a target is at least 24 x 24 px, or is a link inside a line of text, or is far
enough from others that a 24 px circle on its centre touches no other target (nor the circle
of another small one). Links drawn on an SVG map are exempt because each has an equivalent
link of full size in the table or list beside the map (the "equivalent" exception). */
() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])';
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
  };
  const inText = (el) => {
    if (el.tagName !== 'A' || getComputedStyle(el).display !== 'inline') return false;
    let block = el.parentElement;
    while (block && getComputedStyle(block).display.startsWith('inline')) block = block.parentElement;
    return block && block.textContent.trim().length > el.textContent.trim().length;
  };
  const all = [...document.querySelectorAll(selector)].filter((el) => shown(el) && !el.closest('svg'));
  const boxes = all.map((el) => ({el, r: el.getBoundingClientRect()}));
  const small = boxes.filter(({el, r}) => (r.width < 23.5 || r.height < 23.5) && !inText(el));
  const centre = (r) => [r.left + r.width / 2, r.top + r.height / 2];
  const touches = (c, r) => {
    const dx = Math.max(r.left - c[0], 0, c[0] - r.right);
    const dy = Math.max(r.top - c[1], 0, c[1] - r.bottom);
    return Math.hypot(dx, dy) < 12;
  };
  const describe = (el, r) => `${el.tagName.toLowerCase()} "${(el.textContent || el.name || el.id || '').trim().slice(0, 40)}" ${Math.round(r.width)}x${Math.round(r.height)}`;
  return small.filter(({el, r}) => {
    const c = centre(r);
    return boxes.some((other) => {
      if (other.el === el || other.el.contains(el) || el.contains(other.el)) return false;
      if (touches(c, other.r)) return true;
      const isSmall = small.some((s) => s.el === other.el);
      return isSmall && Math.hypot(...centre(other.r).map((v, i) => v - c[i])) < 24;
    });
  }).map(({el, r}) => describe(el, r));
}
