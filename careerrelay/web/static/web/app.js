// Small progressive enhancements; every form also works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  for (const select of document.querySelectorAll("select[data-autosubmit]")) {
    select.addEventListener("change", () => select.form.requestSubmit());
    const button = select.form.querySelector("button[type=submit]");
    if (button) button.hidden = true;
  }
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }
  // Live preview of a message template: post the draft as it is typed, show the result.
  // The answer names what it fills: {subject, body} for a template, one pair per language and the
  // recipient count for a newsletter; each key goes to the element marked data-preview=<key>.
  for (const form of document.querySelectorAll("form[data-live-preview]")) {
    let timer = null;
    form.addEventListener("input", () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(async () => {
        const response = await fetch(form.dataset.livePreview, {
          method: "POST",
          body: new FormData(form),
          headers: { "X-Requested-With": "fetch" },
          credentials: "same-origin",
        });
        if (!response.ok) return;
        const preview = await response.json();
        for (const [key, value] of Object.entries(preview)) {
          const target = document.querySelector(`[data-preview="${key}"]`);
          if (target) target.textContent = value;
        }
      }, 250);
    });
  }
});
