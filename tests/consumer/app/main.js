// The page's entry: runs the exercise against the page's own origin, with the tag given as
// `?tag=…`, and leaves the report (or the error) on window for checks/browser.mjs, and on the
// page for people.
import { exercise } from './exercise.js';

const tag = new URLSearchParams(location.search).get('tag') ?? 'page';
exercise('', tag).then(
  (report) => {
    window.pfReport = report;
    document.body.textContent = JSON.stringify(report, null, 2);
  },
  (error) => {
    window.pfError = String(error?.stack ?? error);
    document.body.textContent = window.pfError;
  },
);
