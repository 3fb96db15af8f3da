/**
 * The owner of table {@code sync_task}: {@link io.cwbridge.tasks.store.SyncTasks} alone inserts and
 * updates it (routes call it as bean {@code syncTasks}), with the statuses as enums. A package of its
 * own, below {@code tasks} and {@code sync}, so both use it without depending on each other.
 * {@code TableOwnersTest} keeps it the only writer. The task's other tables have their stores here
 * too, for the same reason: {@link io.cwbridge.tasks.store.TaskHistory} ({@code task_history}) and
 * {@link io.cwbridge.tasks.store.TaskOverrideRepository} ({@code task_override}).
 */
package io.cwbridge.tasks.store;
