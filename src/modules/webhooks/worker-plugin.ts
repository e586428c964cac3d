import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { WebhookWorker } from './worker';

/**
 * The delivery worker in the app's lifecycle (docs/webhooks.md "Shutdown"): it starts once the
 * app is ready and stops when the app closes, before the database does, letting the attempts
 * in flight finish.
 */
async function webhookWorkerPlugin(app: FastifyInstance, { worker }: { worker: WebhookWorker }) {
  app.addHook('onReady', async () => worker.start());
  app.addHook('onClose', async () => worker.stop());
}

export default fp(webhookWorkerPlugin, { name: 'webhook-worker' });
