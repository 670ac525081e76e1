// Builds the routing use cases' ports from the environment, once per cold start.
import { requireEnv } from '../config';
import { tables } from '../data/resources';
import type { CallbackDeps, RoutingDeps, SweepDeps, TaskDeps } from '../usecases/routing/deps';
import { ROUTING_STATE_MACHINE_ENV } from '../workflow/tasks';
import { dynamoDocumentClient } from './aws';
import { catalogueRepository } from './deps';
import { dossierRepository } from './dossier-deps';
import { dynamoTaskRepository } from './dynamo/task-repository';
import { stepFunctionsCallbacks, stepFunctionsWorkflow } from './sfn-workflow';

export function taskRepository() {
  return dynamoTaskRepository(dynamoDocumentClient(), requireEnv(tables.dossiers.envVar));
}

// Timeouts are passed in real seconds: the local workflow service applies its own time scale to them.
const REAL_TIME = 1;

export function taskDeps(): TaskDeps {
  return {
    dossiers: dossierRepository(),
    tasks: taskRepository(),
    clock: () => new Date(),
    timeScale: REAL_TIME,
  };
}

export function callbackDeps(): CallbackDeps {
  return { ...taskDeps(), callbacks: stepFunctionsCallbacks() };
}

export function routingDeps(): RoutingDeps {
  return {
    dossiers: dossierRepository(),
    catalogue: catalogueRepository(),
    workflow: stepFunctionsWorkflow(requireEnv(ROUTING_STATE_MACHINE_ENV)),
    clock: () => new Date(),
    timeScale: REAL_TIME,
  };
}

export function sweepDeps(): SweepDeps {
  const dossiers = dossierRepository();
  return {
    ...callbackDeps(),
    dossiers,
    dossierLists: dossiers,
    catalogue: catalogueRepository(),
    workflow: stepFunctionsWorkflow(requireEnv(ROUTING_STATE_MACHINE_ENV)),
  };
}
