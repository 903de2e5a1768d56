/**
 * A measurement run in a child process of its own: forked, answering with one IPC message.
 */
import { fork, ForkOptions } from 'child_process';

/**
 * Forks `script` with `args` and returns the message it sends. Rejects when the child cannot start,
 * exits with another code than 0 or sends nothing; `failure` gets the exit code and signal as text
 * (`exit code 1, signal null`) and returns the error message.
 */
export function resultOfChild<T>(script: string, args: string[], options: ForkOptions, failure: (exit: string) => string): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(script, args, { ...options, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: T | undefined;
    child.on('message', message => { result = message as T; });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0 && result) resolve(result);
      else reject(new Error(failure(`exit code ${code}, signal ${signal}`)));
    });
  });
}
