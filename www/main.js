// The demo page: shared controls and legend, then the four scenarios once the SDK has loaded.

import { sdkControls } from './controls.js';
import { legend } from './legend.js';
import { tabs } from './tabs.js';

const status = document.getElementById('sdk-status');
tabs(document.querySelector('[role="tablist"]'));
legend(document.getElementById('legend'));
const sdk = sdkControls(document.getElementById('sdk-options'));

try {
  await import('./sdk.js');
} catch (error) {
  status.textContent = `Could not load /pkg/parallel_fetch.js (run make pkg): ${error.message}`;
  status.classList.add('error');
  throw error;
}

const [{ profileScenario }, { checkoutScenario }, { searchScenario }, { resilienceScenario }] = await Promise.all([
  import('./scenarios/profile.js'),
  import('./scenarios/checkout.js'),
  import('./scenarios/search.js'),
  import('./scenarios/resilience.js'),
]);
profileScenario(document.getElementById('profile'), sdk);
checkoutScenario(document.getElementById('checkout'), sdk);
searchScenario(document.getElementById('search'), sdk);
resilienceScenario(document.getElementById('resilience'), sdk);

status.textContent = 'SDK loaded · test server at this origin';
document.body.dataset.ready = 'true';
