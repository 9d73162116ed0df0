import init, { parallelFetch, settledFetch } from '/pkg/parallel_fetch.js';

await init();

const $ = (id) => document.getElementById(id);

function requests() {
  const fail = $('professional-fails').checked ? '&status=500' : '';
  return [
    { id: 'personal', url: `/r?key=personal&delay=${$('personal-delay').value}` },
    { id: 'professional', url: `/r?key=professional&delay=${$('professional-delay').value}${fail}` },
  ];
}

async function run(name, call) {
  const started = performance.now();
  $('output').textContent = `${name} running…`;
  try {
    const value = await call(requests(), { timeout: 5000, retry: false });
    const ms = Math.round(performance.now() - started);
    $('output').textContent = `${name} resolved in ${ms} ms\n\n${JSON.stringify(value, null, 2)}`;
  } catch (error) {
    const ms = Math.round(performance.now() - started);
    $('output').textContent = `${name} rejected in ${ms} ms\n\n${error.name}: ${error.message}`;
  }
}

$('run-parallel').addEventListener('click', () => run('parallelFetch', parallelFetch));
$('run-settled').addEventListener('click', () => run('settledFetch', settledFetch));
