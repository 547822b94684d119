// The pose library's filter form works as a plain GET form. This only keeps the
// address tidy: empty fields are left out of the query string when it is sent.
const form = document.querySelector("form[data-filter-form]");

if (form) {
  form.addEventListener("submit", () => {
    for (const field of form.elements) {
      if (field.name && field.value === "") {
        field.disabled = true;
      }
    }
    // Re-enable after the browser has collected the values, so Back shows a usable form.
    setTimeout(() => {
      for (const field of form.elements) field.disabled = false;
    }, 0);
  });
}
