/* Horizontal overflow of the page and the height of the site header, in CSS pixels. */
() => ({
  overflow: document.documentElement.scrollWidth - window.innerWidth,
  header: document.querySelector('.site-header') ? document.querySelector('.site-header').getBoundingClientRect().height : 0,
  height: window.innerHeight,
})
