/**
 * A scan worker thread: runs the tasks it is sent one at a time and posts each result back. The main thread
 * gives the counted sign-ins to its detector, which is order-independent, so the alerts are those of a scan
 * on one thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runTask } from './task-runner.js';
import { claimTask, newRangeBuffers, type WorkerLane, type WorkerMessage } from './tasks.js';

const { setup, tasks, claims } = workerData as WorkerLane;

/** Read buffers shared by this worker's tasks, which run one at a time, so memory does not grow with tasks. */
const rangeBuffers = newRangeBuffers();

async function runLane(): Promise<void> {
  for (let index = claimTask(claims); index < tasks.length; index = claimTask(claims)) {
    const task = tasks[index];
    try {
      parentPort!.postMessage((await runTask(task, setup, rangeBuffers)) satisfies WorkerMessage);
    } catch (error) {
      parentPort!.postMessage({ id: task.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies WorkerMessage);
      return;
    }
  }
  parentPort!.postMessage({ done: true } satisfies WorkerMessage);
}

void runLane();
