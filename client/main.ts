import { mount } from 'svelte';
import App from './App.svelte';
import './styles.css';

mount(App, { target: document.getElementById('app')! });

// Reloading without a network shows the app rather than the browser's error page (built app only:
// in development Vite serves changing modules that must not be cached).
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js').catch(() => {
      // Not available (private mode, an old browser): the app works online as before.
    });
  });
}
