// The dashboard's only script, served by the hub itself, so the pages' CSP allows no inline
// script: a form with data-confirm asks its question before it is sent, and the language switch
// returns to the page it was clicked on.
document.addEventListener('submit', (event) => {
  const question = event.target.dataset ? event.target.dataset.confirm : undefined;
  if (question && !window.confirm(question)) event.preventDefault();
});
const langSwitch = document.getElementById('lang-switch');
if (langSwitch) langSwitch.href += '?back=' + encodeURIComponent(location.pathname + location.search);
