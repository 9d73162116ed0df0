// Tabs: one scenario visible at a time, chosen by click or with the arrow keys.

export function tabs(tablist) {
  const buttons = [...tablist.querySelectorAll('[role="tab"]')];
  const select = (chosen) => {
    for (const button of buttons) {
      const selected = button === chosen;
      button.setAttribute('aria-selected', String(selected));
      button.tabIndex = selected ? 0 : -1;
      document.getElementById(button.getAttribute('aria-controls')).hidden = !selected;
    }
  };
  for (const button of buttons) {
    button.addEventListener('click', () => select(button));
    button.addEventListener('keydown', (event) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (!step) return;
      const next = buttons[(buttons.indexOf(button) + step + buttons.length) % buttons.length];
      next.focus();
      select(next);
    });
  }
  select(buttons.find((b) => b.getAttribute('aria-selected') === 'true') ?? buttons[0]);
}
