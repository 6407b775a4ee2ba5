// The dashboard's only script, served by the hub itself, so the pages' CSP allows no inline
// script: a form with data-confirm asks its question before it is sent, and the language switch
// returns to the page it was clicked on.
document.addEventListener('submit', (event) => {
  const question = event.target.dataset ? event.target.dataset.confirm : undefined;
  if (question && !window.confirm(question)) event.preventDefault();
});
const langSwitch = document.getElementById('lang-switch');
if (langSwitch) langSwitch.href += '?back=' + encodeURIComponent(location.pathname + location.search);
// Tables marked "cards" turn into one card per row on a phone (app.css): each cell is labelled
// with its column's header, copied here so the templates write each header once.
document.querySelectorAll('table.cards').forEach((table) => {
  const heads = [...table.querySelectorAll('tr:first-child th')].map((th) => th.textContent.trim());
  table.querySelectorAll('tr').forEach((row) => {
    [...row.children].forEach((cell, i) => {
      if (cell.tagName === 'TD' && heads[i] && !cell.dataset.label) cell.dataset.label = heads[i];
    });
  });
});
