import { idempotencyStore } from '../../shared/adapters/deps';
import { callbackDeps } from '../../shared/adapters/routing-deps';
import { uploadRepository } from '../../shared/adapters/upload-deps';
import { httpRoute } from '../../shared/http/middleware';
import * as partnerRoutes from '../../shared/http/routes/partner';
import { type DecideInput, decideTask } from '../../shared/usecases/routing/decide-task';
import { taskSummary } from '../../shared/usecases/routing/read-tasks';

const deps = { ...callbackDeps(), idempotency: idempotencyStore(), uploads: uploadRepository() };

export const handler = httpRoute(
  partnerRoutes.decidePartnerTask,
  async ({ caller, path, body, idempotencyKey }) => {
    const { decision, ...rest } = body;
    const answer = await decideTask(
      {
        caller,
        taskId: path.id,
        decision: { kind: decision, ...rest } as DecideInput['decision'],
        ...(idempotencyKey ? { idempotencyKey } : {}),
      },
      deps,
    );
    return { body: { task: taskSummary(answer.task), delivered: answer.delivered } };
  },
);
