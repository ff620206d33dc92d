// Where each examiner thread starts. Node 20 does not give worker threads the TypeScript loader
// (tsx) the hub's process was started with, so the thread registers it before loading its code.
import { register } from 'tsx/esm/api';

register();
const { default: examineTask } = await import('./examiner-worker.ts');
export default examineTask;
