/**
 * The sync tasks (SPEC 8.2, R31): one task per accepted event, with the ConnectWise operations it
 * planned and which of them are done, its history of state changes ({@link io.cwbridge.tasks.store.TaskHistory},
 * table {@code task_history}) and, while it waits for approval, the plan it would send now. The sync
 * engine moves tasks through their states; here a person approves, retries or dismisses them
 * ({@link io.cwbridge.tasks.TaskActions}). Every write of table {@code sync_task}, from Java or a route,
 * goes through its owner {@link io.cwbridge.tasks.store.SyncTasks}.
 */
package io.cwbridge.tasks;
