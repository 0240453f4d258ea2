export interface paths {
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Prometheus metrics
         * @description Needs an API key with the metrics scope (a metrics, read, write or admin key).
         */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/whoami": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The scope and fingerprint of the key this request was sent with
         * @description Needs an API key with the read scope (a read, write or admin key).
         */
        get: operations["whoAmI"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tasks/{taskId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One task with its counts
         * @description Needs an API key with the read scope (a read, write or admin key).
         */
        get: operations["getTask"];
        /**
         * Start tracking a task
         * @description 201 when tracking starts (new, or previously untracked), 200 when already tracked.
         *
         *     Needs an API key with the write scope (a write or admin key).
         */
        put: operations["trackTask"];
        post?: never;
        /**
         * Stop tracking a task; all its data is kept
         * @description Needs an API key with the write scope (a write or admin key).
         */
        delete: operations["untrackTask"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tasks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List tasks in task id order
         * @description Needs an API key with the read scope (a read, write or admin key).
         */
        get: operations["listTasks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tasks/{taskId}/drives": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Drives of a task, in the order first seen, with counts and failure rate
         * @description Needs an API key with the read scope (a read, write or admin key).
         */
        get: operations["listDrives"];
        put?: never;
        /**
         * Register a drive the moment ZEGO gave its DriveId (for the service that asks ZEGO to speak)
         * @description Recorded as queued (history source producer), the task tracked if it was not; callbacks and polls move it on. 201 the first time, 200 after (a drive already further along keeps its status); type, requestId and submittedAt are kept on the drive (what was set first stays).
         *
         *     Needs an API key with the write scope (a write or admin key).
         */
        post: operations["registerDrive"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tasks/{taskId}/drives/{driveId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One drive with its full status history, oldest first
         * @description Needs an API key with the read scope (a read, write or admin key).
         */
        get: operations["getDrive"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/callbacks/zego": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * ZEGO callback receiver (give this URL to ZEGO support)
         * @description Authenticated by its signature, not by API key. 2xx only once the event is stored.
         */
        post: operations["receiveZegoCallback"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tasks/{taskId}/client-messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Relay room messages (Cmd 1001 drive statuses) that a client in the task’s room received
         * @description For the app’s backend, never a browser (it would need an API key). Recorded with history source client by the same rules as callbacks and polls: a status only moves forward (a finished after a failed changes nothing), repeats are duplicates, timings fill in; the task is tracked if it was not. All messages are checked first: one malformed message refuses the request (400 naming it) and nothing is written.
         *
         *     Needs an API key with the write scope (a write or admin key).
         */
        post: operations["relayMessages"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/reports/failures": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Failed and finished drives per hour, day or week, across tasks or for one; empty buckets included
         * @description Needs an API key with the read scope (a read, write or admin key).
         */
        get: operations["getFailureReport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tasks/{taskId}/failures": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Failed and finished drives of one task per minute, 5 minutes, hour, day or week, empty buckets included: GET /reports/failures?taskId= by its path
         * @description Needs an API key with the read scope (a read, write or admin key).
         */
        get: operations["getTaskFailures"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/reports/durations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Percentiles (p50, p90, p95, p99, max) of queue wait or play time per hour, day or week, across tasks or for one; empty buckets included
         * @description Needs an API key with the read scope (a read, write or admin key).
         */
        get: operations["getDurationReport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/reports/tasks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The tasks with the most failures, highest failure rate or longest p95 play / queue time in a range
         * @description Needs an API key with the read scope (a read, write or admin key).
         */
        get: operations["getTaskReport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tasks/{taskId}/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every status change of every drive of a task, oldest first
         * @description Needs an API key with the read scope (a read, write or admin key).
         */
        get: operations["getTaskHistory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/reports/sources": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * How many drive ends each route reported (callback, poll, client relay, producer) in a range of at most 31 days
         * @description Counts each drive that reached failed or finished in [from, to) once, by the source of that change: the route that told the service first. unresolved: drives no route reported an end for.
         *
         *     Needs an API key with the read scope (a read, write or admin key).
         */
        get: operations["report"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Sync state: tracked tasks, sync lag, upstream circuit and credentials, drives by status, background duties
         * @description Needs an API key with the read scope (a read, write or admin key).
         */
        get: operations["getStatus"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/live": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness: the process is up */
        get: operations["getLiveness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness of this replica: database, read replica (when set), migrations; 503 names the failing checks. The upstream's state and the sync lag are in /status, not here */
        get: operations["getReadiness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List webhook endpoints (without their secrets), oldest first
         * @description Needs an API key with the read scope (a read, write or admin key).
         */
        get: operations["listWebhooks"];
        put?: never;
        /**
         * Add a webhook endpoint
         * @description The answer holds the signing secret; it is never shown again. The URL must lead to a public address (unless WEBHOOK_ALLOW_PRIVATE=true; link-local never); user:password@ in it is sent as HTTP Basic authentication and masked wherever the URL is shown. `format` chooses the body (signed, slack, teams, pagerduty with its routingKey, alertmanager); see docs/alerts-and-webhooks.md. 409 past WEBHOOKS_MAX endpoints.
         *
         *     Needs an API key with the admin scope (a admin key).
         */
        post: operations["createWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One webhook endpoint
         * @description Needs an API key with the read scope (a read, write or admin key).
         */
        get: operations["getWebhook"];
        put?: never;
        post?: never;
        /**
         * Remove a webhook endpoint; its pending deliveries are dropped
         * @description Needs an API key with the admin scope (a admin key).
         */
        delete: operations["deleteWebhook"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks/{id}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a webhook.test event to this endpoint (queued like any event)
         * @description At most 5 a minute per webhook; more get 429 with Retry-After.
         *
         *     Needs an API key with the admin scope (a admin key).
         */
        post: operations["testWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Delivery attempts to this endpoint, newest first
         * @description Needs an API key with the read scope (a read, write or admin key).
         */
        get: operations["listWebhookDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/slos": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List SLOs, oldest first
         * @description Needs an API key with the read scope (a read, write or admin key).
         */
        get: operations["listSlos"];
        put?: never;
        /**
         * Add an SLO
         * @description Good drives finished; bad ones failed or were left unresolved. 409 past SLOS_MAX SLOs (default 200).
         *
         *     Needs an API key with the admin scope (a admin key).
         */
        post: operations["createSlo"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/slos/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An SLO with its SLI, error budget and burn rates now
         * @description Needs an API key with the read scope (a read, write or admin key).
         */
        get: operations["getSlo"];
        put?: never;
        post?: never;
        /**
         * Remove an SLO
         * @description 409 naming the alert rules that still watch it.
         *
         *     Needs an API key with the admin scope (a admin key).
         */
        delete: operations["deleteSlo"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/slos/{id}/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Error budget left at the end of each day (or hour)
         * @description Needs an API key with the read scope (a read, write or admin key).
         */
        get: operations["getSloHistory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/alert-rules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List alert rules, oldest first
         * @description Needs an API key with the read scope (a read, write or admin key).
         */
        get: operations["listAlertRules"];
        put?: never;
        /**
         * Add an alert rule
         * @description 409 past ALERT_RULES_MAX rules (default 500).
         *
         *     Needs an API key with the admin scope (a admin key).
         */
        post: operations["createAlertRule"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/alert-rules/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One alert rule
         * @description Needs an API key with the read scope (a read, write or admin key).
         */
        get: operations["getAlertRule"];
        put?: never;
        post?: never;
        /**
         * Remove a rule and its alerts (no resolved event is sent)
         * @description Needs an API key with the admin scope (a admin key).
         */
        delete: operations["deleteAlertRule"];
        options?: never;
        head?: never;
        /**
         * Change a rule’s settings, webhooks or enabled state (not its kind or scope)
         * @description Needs an API key with the admin scope (a admin key).
         */
        patch: operations["updateAlertRule"];
        trace?: never;
    };
    "/alerts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Alerts, newest first
         * @description Needs an API key with the read scope (a read, write or admin key).
         */
        get: operations["listAlerts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/silences": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Silences not yet over, soonest end first
         * @description Needs an API key with the read scope (a read, write or admin key).
         */
        get: operations["listSilences"];
        put?: never;
        /**
         * Add a silence
         * @description 409 past SILENCES_MAX silences not yet over (default 200).
         *
         *     Needs an API key with the admin scope (a admin key).
         */
        post: operations["createSilence"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/silences/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * End a silence now
         * @description Needs an API key with the admin scope (a admin key).
         */
        delete: operations["deleteSilence"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        ErrorDto: {
            /** @example 400 */
            statusCode: number;
            /** @example Bad Request */
            error: string;
            /** @example limit must be a whole number from 1 to 500 */
            message: string;
        };
        WhoAmIView: {
            /**
             * @description What the key may do; admin when the service runs without keys (API_OPEN or demo mode)
             * @example read
             * @enum {string}
             */
            scope: "metrics" | "read" | "write" | "admin";
            /**
             * @description First 8 hex digits of the key’s SHA-256, as the logs name it; null without keys
             * @example 3f9a2c1d
             */
            fingerprint: string | null;
            /** @description Whether this service asks for API keys at all */
            keysRequired: boolean;
        };
        CountsView: {
            /** @example 1 */
            queued: number;
            /** @example 1 */
            playing: number;
            /** @example 2 */
            failed: number;
            /** @example 18 */
            finished: number;
            /**
             * @description Of the queued and playing drives, those marked unresolved (their task ended, or no news for too long)
             * @example 0
             */
            unresolved: number;
            /** @example 22 */
            total: number;
        };
        TaskView: {
            /** @example task_3f9a2c1d7e5b4a60 */
            taskId: string;
            /** @description Whether the service polls it */
            tracking: boolean;
            /**
             * @description How tracking began
             * @enum {string}
             */
            source: "manual" | "discovery" | "callback" | "producer" | "client";
            /**
             * Format: date-time
             * @description null only for a stored time JavaScript cannot represent (PostgreSQL infinity)
             * @example 2026-11-24T09:30:00.000Z
             */
            createdAt: string | null;
            /**
             * Format: date-time
             * @example 2026-11-24T09:30:00.000Z
             */
            lastSyncedAt: string | null;
            /**
             * @description Why the last poll failed (cleared by the next success)
             * @example null
             */
            lastSyncError: string | null;
            /**
             * Format: date-time
             * @description When the task was seen to end; no more polls
             * @example null
             */
            endedAt: string | null;
            /**
             * @example publishing
             * @enum {string|null}
             */
            taskStatus: "initializing" | "init_failed" | "publishing" | "stopping" | "stopped" | null;
            /** @example null */
            failReason: string | null;
            /** @example room_1 */
            roomId: string | null;
            /** @example stream_1 */
            streamId: string | null;
            /**
             * Format: date-time
             * @example 2026-11-24T09:30:00.000Z
             */
            upstreamCreatedAt: string | null;
            counts: components["schemas"]["CountsView"];
        };
        TaskPage: {
            items: components["schemas"]["TaskView"][];
            /** @description Pass as `cursor` for the next page; null on the last */
            nextCursor: string | null;
        };
        DriveView: {
            /** @example drive_8a2d783d9d964d94b28d */
            driveId: string;
            /** @example task_3f9a2c1d7e5b4a60 */
            taskId: string;
            /**
             * @example finished
             * @enum {string}
             */
            status: "queued" | "playing" | "failed" | "finished";
            /**
             * @example 4
             * @enum {number}
             */
            statusCode: 1 | 2 | 3 | 4;
            /**
             * Format: date-time
             * @example 2026-11-24T09:30:00.000Z
             */
            firstSeenAt: string;
            /**
             * Format: date-time
             * @example 2026-11-24T09:30:00.000Z
             */
            statusChangedAt: string;
            /**
             * Format: date-time
             * @description Last time the upstream listed the drive
             * @example 2026-11-24T09:30:00.000Z
             */
            lastSeenAt: string;
            /**
             * @description As registered by the producer (POST /tasks/:taskId/drives); null when not registered
             * @enum {string|null}
             */
            type: "text" | "audio" | "ws" | "rtc" | null;
            /** @description The producer’s own request id, when registered */
            requestId: string | null;
            /**
             * Format: date-time
             * @description When the producer submitted it
             */
            submittedAt: string | null;
            /**
             * @description unresolved: still queued or playing when its task ended, or no news for DRIVE_STALE_AFTER_S; its status is the last known one. Cleared by its next status change
             * @enum {string|null}
             */
            resolution: "unresolved" | null;
            /**
             * Format: date-time
             * @description When it was marked unresolved
             */
            unresolvedAt: string | null;
            /**
             * Format: date-time
             * @description The earliest report of the drive as queued: a callback’s EventTime (the upstream’s clock), else the time of the poll that first saw it (late by up to one poll interval); null when it was first seen later on
             */
            queuedAt: string | null;
            /**
             * Format: date-time
             * @description The earliest report of the drive as playing (same sources as queuedAt)
             */
            playingAt: string | null;
            /**
             * Format: date-time
             * @description The earliest report of its terminal status (failed or finished); null while it runs or is unresolved
             */
            endedAt: string | null;
            /**
             * @description playingAt - queuedAt in ms; null when either is unknown
             * @example 840
             */
            queueWaitMs: number | null;
            /**
             * @description endedAt - playingAt in ms (to failed or finished); null when either is unknown
             * @example 5120
             */
            playMs: number | null;
        };
        DrivePage: {
            /** @example task_3f9a2c1d7e5b4a60 */
            taskId: string;
            counts: components["schemas"]["CountsView"];
            /**
             * @description failed / (failed + finished); 0 when there are none
             * @example 0.1
             */
            failureRate: number;
            items: components["schemas"]["DriveView"][];
            nextCursor: string | null;
        };
        RegisterDriveBody: {
            /**
             * @description The DriveId ZEGO returned: must be 1-128 characters, each a letter, digit or one of _ . : -
             * @example drive_8a2d783d9d964d94b28d
             */
            driveId: string;
            /**
             * @description How the drive was asked for
             * @enum {string}
             */
            type?: "text" | "audio" | "ws" | "rtc";
            /**
             * @description The producer’s own id for the request (1-128 printable characters)
             * @example req-42
             */
            requestId?: string;
            /**
             * Format: date-time
             * @description When the producer submitted the drive (its clock); within the last 24 hours. Default: now
             * @example 2026-11-24T09:30:00.000Z
             */
            submittedAt?: string;
        };
        HistoryView: {
            /**
             * @example finished
             * @enum {string}
             */
            status: "queued" | "playing" | "failed" | "finished";
            /**
             * @example 4
             * @enum {number}
             */
            statusCode: 1 | 2 | 3 | 4;
            /**
             * @example playing
             * @enum {string|null}
             */
            previousStatus: "queued" | "playing" | "failed" | "finished" | null;
            /**
             * Format: date-time
             * @example 2026-11-24T09:30:00.000Z
             */
            observedAt: string;
            /** @enum {string} */
            source: "poll" | "callback" | "producer" | "client";
        };
        DriveDetail: {
            /** @example drive_8a2d783d9d964d94b28d */
            driveId: string;
            /** @example task_3f9a2c1d7e5b4a60 */
            taskId: string;
            /**
             * @example finished
             * @enum {string}
             */
            status: "queued" | "playing" | "failed" | "finished";
            /**
             * @example 4
             * @enum {number}
             */
            statusCode: 1 | 2 | 3 | 4;
            /**
             * Format: date-time
             * @example 2026-11-24T09:30:00.000Z
             */
            firstSeenAt: string;
            /**
             * Format: date-time
             * @example 2026-11-24T09:30:00.000Z
             */
            statusChangedAt: string;
            /**
             * Format: date-time
             * @description Last time the upstream listed the drive
             * @example 2026-11-24T09:30:00.000Z
             */
            lastSeenAt: string;
            /**
             * @description As registered by the producer (POST /tasks/:taskId/drives); null when not registered
             * @enum {string|null}
             */
            type: "text" | "audio" | "ws" | "rtc" | null;
            /** @description The producer’s own request id, when registered */
            requestId: string | null;
            /**
             * Format: date-time
             * @description When the producer submitted it
             */
            submittedAt: string | null;
            /**
             * @description unresolved: still queued or playing when its task ended, or no news for DRIVE_STALE_AFTER_S; its status is the last known one. Cleared by its next status change
             * @enum {string|null}
             */
            resolution: "unresolved" | null;
            /**
             * Format: date-time
             * @description When it was marked unresolved
             */
            unresolvedAt: string | null;
            /**
             * Format: date-time
             * @description The earliest report of the drive as queued: a callback’s EventTime (the upstream’s clock), else the time of the poll that first saw it (late by up to one poll interval); null when it was first seen later on
             */
            queuedAt: string | null;
            /**
             * Format: date-time
             * @description The earliest report of the drive as playing (same sources as queuedAt)
             */
            playingAt: string | null;
            /**
             * Format: date-time
             * @description The earliest report of its terminal status (failed or finished); null while it runs or is unresolved
             */
            endedAt: string | null;
            /**
             * @description playingAt - queuedAt in ms; null when either is unknown
             * @example 840
             */
            queueWaitMs: number | null;
            /**
             * @description endedAt - playingAt in ms (to failed or finished); null when either is unknown
             * @example 5120
             */
            playMs: number | null;
            /** @description Oldest first */
            history: components["schemas"]["HistoryView"][];
        };
        CallbackBody: {
            /** @example 1234567890 */
            AppId: number;
            /**
             * @description 3: stream task status; 4: drive status
             * @enum {number}
             */
            EventType: 3 | 4;
            /** @example 123412 */
            Nonce: string;
            /**
             * @description Unix time in seconds or milliseconds
             * @example 1795512000
             */
            Timestamp: string;
            /**
             * @description sha1 of the sorted [secret, Timestamp, Nonce]
             * @example 5bd59fd62953a8059fb7eaba95720f66d19e4517
             */
            Signature: string;
            /**
             * @description When it happened upstream, ms
             * @example 1795512000123
             */
            EventTime: number;
            /** @example task_3f9a2c1d7e5b4a60 */
            TaskId: string;
            /**
             * @description EventType 4: { DriveId, Status 1-4 }; EventType 3: { Status 1-5, RoomId, StreamId, FailReason? }
             * @example {
             *       "DriveId": "drive_8a2d783d9d964d94b28d",
             *       "Status": 4
             *     }
             */
            Detail: Record<string, never>;
        };
        CallbackAck: {
            /** @example true */
            received: boolean;
            /**
             * @description duplicate: already applied (a retry) or no change; unconfirmed: a stream task event the upstream contradicts (its answer was recorded instead)
             * @enum {string}
             */
            outcome: "recorded" | "duplicate" | "unconfirmed" | "ignored";
        };
        ClientMessagesBody: {
            /**
             * @description 1-100 room messages exactly as the Express SDK delivered them, oldest first: each the message object or its JSON text. Product `digitalhuman` Cmd 1001 with Data.Status 2 (started speaking) or 4 (finished) moves the drive on; any other Product, Cmd or Status is acknowledged as ignored.
             * @example [
             *       {
             *         "Product": "digitalhuman",
             *         "Cmd": 1001,
             *         "Data": {
             *           "Status": 2,
             *           "DriveId": "drive_8a2d783d9d964d94b28d"
             *         }
             *       }
             *     ]
             */
            messages: ({
                [key: string]: unknown;
            } | string)[];
            /** @description When the client received them (ISO-8601 or ms since the epoch). Believed from 24 hours before to 60 s after arrival, as a callback’s EventTime; otherwise, and by default, the time the request arrived. */
            receivedAt?: string | number;
        };
        ClientMessageResult: {
            /**
             * @description recorded: the drive moved on; duplicate: it already had this status or a later one (repeats, or a terminal status reached another way); ignored: not a drive status
             * @enum {string}
             */
            outcome: "recorded" | "duplicate" | "ignored";
            /** @example drive_8a2d783d9d964d94b28d */
            driveId?: string;
            /**
             * @description What the message said
             * @enum {string}
             */
            status?: "playing" | "finished";
            /**
             * @description Why it was ignored
             * @example Product "im" Cmd 7 is not a drive status
             */
            reason?: string;
        };
        ClientMessagesAnswer: {
            /** @example task_3f9a2c1d7e5b4a60 */
            taskId: string;
            /**
             * Format: date-time
             * @description The time recorded for these messages: receivedAt when believed, else the arrival time
             * @example 2026-11-24T09:30:00.000Z
             */
            observedAt: string;
            /** @example 1 */
            recorded: number;
            /** @example 0 */
            duplicate: number;
            /** @example 0 */
            ignored: number;
            /** @description One per message, in the order sent */
            results: components["schemas"]["ClientMessageResult"][];
        };
        ReportTotals: {
            /** @example 12 */
            failed: number;
            /** @example 108 */
            finished: number;
            /**
             * @description Drives marked unresolved in this range and still unresolved (never counted as finished)
             * @example 1
             */
            unresolved: number;
            /** @example 0.1 */
            failureRate: number;
        };
        ReportBucket: {
            /**
             * Format: date-time
             * @example 2026-11-24T09:00:00.000Z
             */
            start: string;
            /** @example 1 */
            failed: number;
            /** @example 9 */
            finished: number;
            /**
             * @description Drives marked unresolved in this range and still unresolved (never counted as finished)
             * @example 1
             */
            unresolved: number;
            /** @example 0.1 */
            failureRate: number;
        };
        FailureReport: {
            /** @enum {string} */
            interval: "minute" | "5m" | "hour" | "day" | "week";
            /** Format: date-time */
            from: string;
            /** Format: date-time */
            to: string;
            /** @description Present when the report is for one task */
            taskId?: string;
            /**
             * @description Present when the report is for one drive type
             * @enum {string}
             */
            type?: "text" | "audio" | "ws" | "rtc";
            totals: components["schemas"]["ReportTotals"];
            buckets: components["schemas"]["ReportBucket"][];
        };
        DurationSummaryView: {
            /**
             * @description Drives whose duration is known
             * @example 1200
             */
            count: number;
            /**
             * @description ms; null when count is 0
             * @example 4100
             */
            p50: number | null;
            /** @example 7900 */
            p90: number | null;
            /** @example 9300 */
            p95: number | null;
            /** @example 15800 */
            p99: number | null;
            /** @example 31000 */
            max: number | null;
        };
        DurationBucketView: {
            /**
             * @description Drives whose duration is known
             * @example 1200
             */
            count: number;
            /**
             * @description ms; null when count is 0
             * @example 4100
             */
            p50: number | null;
            /** @example 7900 */
            p90: number | null;
            /** @example 9300 */
            p95: number | null;
            /** @example 15800 */
            p99: number | null;
            /** @example 31000 */
            max: number | null;
            /**
             * Format: date-time
             * @example 2026-11-24T09:00:00.000Z
             */
            start: string;
        };
        DurationReport: {
            /** @enum {string} */
            metric: "queue_wait" | "play";
            /** @enum {string} */
            interval: "minute" | "5m" | "hour" | "day" | "week";
            /** Format: date-time */
            from: string;
            /** Format: date-time */
            to: string;
            /** @description Present when the report is for one task */
            taskId?: string;
            totals: components["schemas"]["DurationSummaryView"];
            buckets: components["schemas"]["DurationBucketView"][];
        };
        TaskReportItem: {
            /** @example task_3f9a2c1d7e5b4a60 */
            taskId: string;
            /** @example 7 */
            failed: number;
            /** @example 63 */
            finished: number;
            /** @example 0.1 */
            failureRate: number;
            /**
             * @description 95th percentile of play time in the range, ms (null: no drive with a known play time)
             * @example 5200
             */
            p95PlayMs: number | null;
            /**
             * @description 95th percentile of queue wait, ms
             * @example 900
             */
            p95QueueWaitMs: number | null;
        };
        TaskReport: {
            /** Format: date-time */
            from: string;
            /** Format: date-time */
            to: string;
            /** @enum {string} */
            sort: "failures" | "failureRate" | "p95PlayMs" | "p95QueueWaitMs";
            items: components["schemas"]["TaskReportItem"][];
        };
        TaskHistoryItem: {
            /** @example drive_8a2d783d9d964d94b28d */
            driveId: string;
            /** @enum {string} */
            status: "queued" | "playing" | "failed" | "finished";
            /** @enum {number} */
            statusCode: 1 | 2 | 3 | 4;
            /** @enum {string|null} */
            previousStatus: "queued" | "playing" | "failed" | "finished" | null;
            /** Format: date-time */
            observedAt: string;
            /** @enum {string} */
            source: "poll" | "callback" | "producer" | "client";
        };
        TaskHistoryPage: {
            /** @example task_3f9a2c1d7e5b4a60 */
            taskId: string;
            items: components["schemas"]["TaskHistoryItem"][];
            nextCursor: string | null;
        };
        SourceEnds: {
            /** @enum {string} */
            source: "callback" | "poll" | "client" | "producer";
            /**
             * @description Drives that reached failed through this source
             * @example 2
             */
            failed: number;
            /**
             * @description Drives that reached finished through this source
             * @example 40
             */
            finished: number;
            /** @example 42 */
            ends: number;
            /**
             * @description ends / all ends in the range (0 when there are none)
             * @example 0.7
             */
            share: number;
        };
        SourcesReport: {
            /** Format: date-time */
            from: string;
            /** Format: date-time */
            to: string;
            /**
             * @description Drives that ended (failed or finished) in the range
             * @example 60
             */
            ends: number;
            /** @description One entry per source, every source present (0 when none): which route told the service first */
            sources: components["schemas"]["SourceEnds"][];
            /**
             * @description Drives marked unresolved in the range and still unresolved: ends no route reported
             * @example 3
             */
            unresolved: number;
        };
        DriveTotals: {
            queued: number;
            playing: number;
            failed: number;
            finished: number;
            /** @description Of the queued and playing drives, those marked unresolved */
            unresolved: number;
        };
        DriveSourceView: {
            /**
             * @description Where drive statuses come from now
             * @enum {string}
             */
            mode: "poll" | "callbacks";
            /**
             * @description DRIVE_STATUS_SOURCE
             * @enum {string}
             */
            configured: "auto" | "poll" | "callbacks";
            /** @example auto: GetDriveStatus answers */
            reason: string;
            /** Format: date-time */
            since: string;
        };
        DutyView: {
            /** @example alert-evaluation */
            name: string;
            /** @enum {string} */
            runOn: "lease-holder" | "every-replica";
        };
        BackgroundDutiesView: {
            /** @description True on the one replica of the fleet that runs the background duties now */
            leaseHolder: boolean;
            /**
             * Format: date-time
             * @description When this replica took the lease
             */
            leaseHeldSince: string | null;
            /** @description The duties this replica runs when it holds the lease */
            duties: components["schemas"]["DutyView"][];
        };
        SyncStatus: {
            /** @description SYNC_ENABLED: false means nothing polls or discovers through ZEGO (callbacks, alerts and webhooks still work) */
            syncEnabled: boolean;
            /**
             * @description Tracked tasks not ended
             * @example 12
             */
            trackedTasks: number;
            /**
             * @description How long the most overdue task has waited for its poll
             * @example 0.4
             */
            syncLagSeconds: number;
            /**
             * @description SYNC_LAG_THRESHOLD_S: a sync_lag alert rule is the way to be told
             * @example 60
             */
            syncLagThresholdSeconds: number;
            /** @description True while upstream calls are paused after repeated failures */
            circuitOpen: boolean;
            /**
             * @description Why ZEGO refuses this service's credentials or account, when its last word was a refusal
             * @example null
             */
            upstreamCredentialsProblem: string | null;
            drives: components["schemas"]["DriveTotals"];
            /** @description As this replica sees it (the lease holder decides) */
            driveSource: components["schemas"]["DriveSourceView"];
            /** @description As this replica sees it */
            backgroundDuties: components["schemas"]["BackgroundDutiesView"];
        };
        CreateWebhookBody: {
            /**
             * @description http(s) only, to a public address (private ones with WEBHOOK_ALLOW_PRIVATE=true; link-local never). user:password@ is sent as HTTP Basic authentication
             * @example https://alerts.example.com/drive-status
             */
            url: string;
            /** @example on-call channel */
            description?: string;
            /**
             * @description The body sent (default `signed`): `signed` (this service's JSON, signed), `slack` (incoming webhook), `teams` (Workflows webhook, Adaptive Card), `pagerduty` (Events API v2; needs routingKey), `alertmanager` (the url is the Alertmanager base; alerts go to <url>/api/v2/alerts and firing ones are re-sent every 30 s)
             * @enum {string}
             */
            format?: "signed" | "slack" | "teams" | "pagerduty" | "alertmanager";
            /**
             * @description pagerduty only, and required there: the integration key of an Events API v2 integration (a secret: shown back masked)
             * @example R0123456789ABCDEF0123456789ABCDE
             */
            routingKey?: string;
        };
        CreatedWebhookView: {
            /** Format: uuid */
            id: string;
            /** @example https://alerts.example.com/drive-status */
            url: string;
            description: string | null;
            /** @enum {string} */
            format: "signed" | "slack" | "teams" | "pagerduty" | "alertmanager";
            /**
             * @description pagerduty: the routing key masked to its last 4 characters; null for other formats
             * @example …BCDE
             */
            routingKey: string | null;
            /**
             * Format: date-time
             * @example 2026-11-24T09:30:00.000Z
             */
            createdAt: string;
            /**
             * @description failing: its last attempts all failed (cleared by the next delivered event)
             * @enum {string}
             */
            state: "healthy" | "failing";
            /** Format: date-time */
            failingSince: string | null;
            /** Format: date-time */
            lastDeliveredAt: string | null;
            /** @description Events waiting to be delivered (first attempt or retry) */
            pending: number;
            /**
             * @description Signs every delivery. Shown only in this answer: keep it now.
             * @example whsec_6f1d…
             */
            secret: string;
        };
        WebhookView: {
            /** Format: uuid */
            id: string;
            /** @example https://alerts.example.com/drive-status */
            url: string;
            description: string | null;
            /** @enum {string} */
            format: "signed" | "slack" | "teams" | "pagerduty" | "alertmanager";
            /**
             * @description pagerduty: the routing key masked to its last 4 characters; null for other formats
             * @example …BCDE
             */
            routingKey: string | null;
            /**
             * Format: date-time
             * @example 2026-11-24T09:30:00.000Z
             */
            createdAt: string;
            /**
             * @description failing: its last attempts all failed (cleared by the next delivered event)
             * @enum {string}
             */
            state: "healthy" | "failing";
            /** Format: date-time */
            failingSince: string | null;
            /** Format: date-time */
            lastDeliveredAt: string | null;
            /** @description Events waiting to be delivered (first attempt or retry) */
            pending: number;
        };
        WebhookList: {
            items: components["schemas"]["WebhookView"][];
            nextCursor: string | null;
        };
        TestEventView: {
            /**
             * Format: uuid
             * @description The id of the test event, sent as X-Drive-Status-Event-Id
             */
            eventId: string;
        };
        AttemptView: {
            /** Format: uuid */
            eventId: string;
            /**
             * @description alert.resend: a firing alert sent again to an Alertmanager endpoint
             * @enum {string}
             */
            type: "alert.firing" | "alert.resolved" | "alert.resend" | "webhook.test";
            /**
             * @description 1 for the first attempt of this event
             * @example 1
             */
            attempt: number;
            /** Format: date-time */
            at: string;
            /** @example 200 */
            statusCode: number | null;
            /**
             * @description Why the attempt failed, when not an HTTP status: `no answer` (timed out, refused, unreachable: not told apart), `TLS failed`, or `address not allowed` (the egress policy)
             * @example null
             */
            error: string | null;
            /** @example 42 */
            durationMs: number;
            /** @enum {string} */
            outcome: "delivered" | "retrying" | "gave_up";
            /**
             * Format: date-time
             * @description When the next attempt is due
             */
            nextRetryAt: string | null;
        };
        AttemptPage: {
            items: components["schemas"]["AttemptView"][];
            nextCursor: string | null;
        };
        CreateSloBody: {
            /** @example avatar drives finish */
            name: string;
            /**
             * @description Percent of drives that must finish, above 50 and below 100
             * @example 99.5
             */
            objective: number;
            /**
             * @description The rolling window, days
             * @default 28
             */
            windowDays: number;
            /**
             * @description Only this task (must be 1-128 characters, each a letter, digit or one of _ . : -); unset: every task
             * @example task_3f9a2c1d7e5b4a60
             */
            taskId?: string;
            /**
             * @description Only drives of this type, as registered by their producer (not with taskId)
             * @enum {string}
             */
            type?: "text" | "audio" | "ws" | "rtc";
        };
        SloView: {
            /** Format: uuid */
            id: string;
            name: string;
            /** @example 99.5 */
            objective: number;
            /** @example 28 */
            windowDays: number;
            /** @description null: every task */
            taskId: string | null;
            /**
             * @description null: every drive type
             * @enum {string|null}
             */
            type: "text" | "audio" | "ws" | "rtc" | null;
            /** Format: date-time */
            createdAt: string;
        };
        SloList: {
            items: components["schemas"]["SloView"][];
            nextCursor: string | null;
        };
        SliView: {
            /** @description Drives that finished in the window */
            good: number;
            /** @description Drives that failed, or were marked unresolved and still are, in the window */
            bad: number;
            total: number;
            /**
             * @description good / total; 1 with no drives
             * @example 0.998
             */
            ratio: number;
        };
        ErrorBudgetView: {
            /** @description total × (1 − objective / 100) */
            allowedBad: number;
            /** @description bad / allowedBad (0 with no drives) */
            consumedFraction: number;
            /** @description 1 − consumedFraction; negative when overspent */
            remainingFraction: number;
        };
        BurnRatesView: {
            "5m": number;
            "30m": number;
            "1h": number;
            "6h": number;
            "1d": number;
            "3d": number;
        };
        SloStatusView: {
            /** Format: uuid */
            id: string;
            name: string;
            /** @example 99.5 */
            objective: number;
            /** @example 28 */
            windowDays: number;
            /** @description null: every task */
            taskId: string | null;
            /**
             * @description null: every drive type
             * @enum {string|null}
             */
            type: "text" | "audio" | "ws" | "rtc" | null;
            /** Format: date-time */
            createdAt: string;
            sli: components["schemas"]["SliView"];
            errorBudget: components["schemas"]["ErrorBudgetView"];
            /** @description (bad / total) / (1 − objective / 100) over each window ending now; 0 with no drives */
            burnRates: components["schemas"]["BurnRatesView"];
        };
        SloHistoryBucket: {
            /**
             * Format: date-time
             * @description The end of the bucket (the last one: the end of this hour)
             */
            end: string;
            /** @description Good drives of the window ending here */
            good: number;
            /** @description Bad drives of the window ending here */
            bad: number;
            /** @description Budget left at the end of the bucket; negative when overspent */
            remainingFraction: number;
        };
        SloHistory: {
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            interval: "day" | "hour";
            buckets: components["schemas"]["SloHistoryBucket"][];
        };
        CreateAlertRuleBody: {
            /**
             * @description consecutive_failures: failed drives in a row (1-1000); failure_rate: the failed share of ended drives, above 0 and at most 1
             * @example 3
             */
            threshold?: number;
            /**
             * @description failure_rate: the window, seconds (60 to 604800; default 3600)
             * @example 3600
             */
            windowS?: number;
            /**
             * @description failure_rate: ended drives the window must hold before it can fire (1 to 100000; default 10)
             * @example 10
             */
            minSamples?: number;
            /**
             * @description stuck_drive: seconds a drive may stay queued or playing (1 to 604800); sync_lag: seconds of lag (1 to 86400)
             * @example 300
             */
            thresholdS?: number;
            /** @description Webhook endpoints to notify (at most 20) */
            webhookIds?: string[];
            /** @example avatar failing in the lobby room */
            description?: string;
            /** @description false: not evaluated; its firing alerts resolve */
            enabled?: boolean;
            /**
             * @description How urgent its alerts are: PagerDuty severity, Alertmanager `severity` label, the wording in Slack and Teams. Default per kind: upstream critical, the others warning
             * @enum {string}
             */
            severity?: "critical" | "warning" | "info";
            /**
             * @description While an alert of this rule fires, notify its webhooks again every this many minutes (an `alert.firing` event with `reminder`: 1, 2, …). Unset or null: once. Not needed for pagerduty (the incident stays open) nor alertmanager (re-sent every 30 s anyway; Alertmanager repeats by its own repeat_interval)
             * @example 60
             */
            repeatIntervalMinutes?: number | null;
            /**
             * @example consecutive_failures
             * @enum {string}
             */
            kind: "consecutive_failures" | "failure_rate" | "stuck_drive" | "unresolved_drives" | "sync_lag" | "upstream" | "slo_burn";
            /**
             * @description One task (must be 1-128 characters, each a letter, digit or one of _ . : -); unset: every task. Not allowed for sync_lag and upstream, which watch the service
             * @example task_3f9a2c1d7e5b4a60
             */
            taskId?: string;
            /**
             * Format: uuid
             * @description slo_burn: the SLO to watch (required for that kind only)
             */
            sloId?: string;
        };
        AlertRuleView: {
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            kind: "consecutive_failures" | "failure_rate" | "stuck_drive" | "unresolved_drives" | "sync_lag" | "upstream" | "slo_burn";
            /** @description null: every task, or the service */
            taskId: string | null;
            threshold: number | null;
            windowS: number | null;
            minSamples: number | null;
            thresholdS: number | null;
            /**
             * Format: uuid
             * @description slo_burn: the SLO watched
             */
            sloId: string | null;
            webhookIds: string[];
            description: string | null;
            enabled: boolean;
            /** @enum {string} */
            severity: "critical" | "warning" | "info";
            /** @description Minutes between reminders; null: none */
            repeatIntervalMinutes: number | null;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
        };
        AlertRuleList: {
            items: components["schemas"]["AlertRuleView"][];
            nextCursor: string | null;
        };
        UpdateAlertRuleBody: {
            /**
             * @description consecutive_failures: failed drives in a row (1-1000); failure_rate: the failed share of ended drives, above 0 and at most 1
             * @example 3
             */
            threshold?: number;
            /**
             * @description failure_rate: the window, seconds (60 to 604800; default 3600)
             * @example 3600
             */
            windowS?: number;
            /**
             * @description failure_rate: ended drives the window must hold before it can fire (1 to 100000; default 10)
             * @example 10
             */
            minSamples?: number;
            /**
             * @description stuck_drive: seconds a drive may stay queued or playing (1 to 604800); sync_lag: seconds of lag (1 to 86400)
             * @example 300
             */
            thresholdS?: number;
            /** @description Webhook endpoints to notify (at most 20) */
            webhookIds?: string[];
            /** @example avatar failing in the lobby room */
            description?: string;
            /** @description false: not evaluated; its firing alerts resolve */
            enabled?: boolean;
            /**
             * @description How urgent its alerts are: PagerDuty severity, Alertmanager `severity` label, the wording in Slack and Teams. Default per kind: upstream critical, the others warning
             * @enum {string}
             */
            severity?: "critical" | "warning" | "info";
            /**
             * @description While an alert of this rule fires, notify its webhooks again every this many minutes (an `alert.firing` event with `reminder`: 1, 2, …). Unset or null: once. Not needed for pagerduty (the incident stays open) nor alertmanager (re-sent every 30 s anyway; Alertmanager repeats by its own repeat_interval)
             * @example 60
             */
            repeatIntervalMinutes?: number | null;
        };
        AlertView: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            ruleId: string;
            /** @enum {string} */
            kind: "consecutive_failures" | "failure_rate" | "stuck_drive" | "unresolved_drives" | "sync_lag" | "upstream" | "slo_burn";
            /** @description null for a service-wide alert */
            taskId: string | null;
            /** @enum {string} */
            state: "firing" | "resolved";
            /**
             * @description The value that fired it
             * @example 3
             */
            value: number;
            /** @example 3 */
            threshold: number;
            /** Format: date-time */
            firedAt: string;
            /** Format: date-time */
            resolvedAt: string | null;
            /** @description The value when it resolved (null: its rule was disabled) */
            resolvedValue: number | null;
        };
        AlertPage: {
            items: components["schemas"]["AlertView"][];
            nextCursor: string | null;
        };
        CreateSilenceBody: {
            /**
             * Format: uuid
             * @description Only this rule; unset: every rule
             */
            ruleId?: string;
            /** @description Only this task; unset: every task */
            taskId?: string;
            /**
             * Format: date-time
             * @description Default: now
             * @example 2026-11-24T09:30:00.000Z
             */
            startsAt?: string;
            /**
             * Format: date-time
             * @description After startsAt, at most 90 days ahead
             * @example 2026-11-24T09:30:00.000Z
             */
            endsAt: string;
            /** @example ZEGO maintenance, 02:00-04:00 */
            reason: string;
        };
        SilenceView: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            ruleId: string | null;
            taskId: string | null;
            /** Format: date-time */
            startsAt: string;
            /** Format: date-time */
            endsAt: string;
            reason: string;
            /** Format: date-time */
            createdAt: string;
        };
        SilenceList: {
            items: components["schemas"]["SilenceView"][];
            nextCursor: string | null;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Prometheus text exposition format */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description Bad input; the message says what is wrong */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description API keys are set and none (or a wrong one) was sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The key is valid but lacks the metrics scope; the message names the scope needed and the key's */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many requests from this client; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The database is unreachable, or too many reports are running; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    whoAmI: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WhoAmIView"];
                };
            };
            /** @description Bad input; the message says what is wrong */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description API keys are set and none (or a wrong one) was sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The key is valid but lacks the read scope; the message names the scope needed and the key's */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many requests from this client; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The database is unreachable, or too many reports are running; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    getTask: {
        parameters: {
            query?: never;
            header?: {
                /** @description The ETag of an answer already held: 304 (no body) when it is still the current one */
                "If-None-Match"?: string;
            };
            path: {
                /** @description Task id: must be 1-128 characters, each a letter, digit or one of _ . : - */
                taskId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    /** @description The answer’s version: send it back as If-None-Match to be told 304 while it is unchanged */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskView"];
                };
            };
            /** @description Unchanged since the ETag sent in If-None-Match (no body) */
            304: {
                headers: {
                    /** @description The answer’s version: send it back as If-None-Match to be told 304 while it is unchanged */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad input; the message says what is wrong */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description API keys are set and none (or a wrong one) was sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The key is valid but lacks the read scope; the message names the scope needed and the key's */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The task is not tracked */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many requests from this client; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The database is unreachable, or too many reports are running; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    trackTask: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Task id: must be 1-128 characters, each a letter, digit or one of _ . : - */
                taskId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Already tracked */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskView"];
                };
            };
            /** @description Tracking started */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskView"];
                };
            };
            /** @description Bad input; the message says what is wrong */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description API keys are set and none (or a wrong one) was sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The key is valid but lacks the write scope; the message names the scope needed and the key's */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many requests from this client; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The database is unreachable, or too many reports are running; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    untrackTask: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Task id: must be 1-128 characters, each a letter, digit or one of _ . : - */
                taskId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No longer polled */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad input; the message says what is wrong */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description API keys are set and none (or a wrong one) was sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The key is valid but lacks the write scope; the message names the scope needed and the key's */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The task is not tracked */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many requests from this client; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The database is unreachable, or too many reports are running; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    listTasks: {
        parameters: {
            query?: {
                /** @description Items per page */
                limit?: number;
                /** @description The `nextCursor` of the previous page */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskPage"];
                };
            };
            /** @description Bad input; the message says what is wrong */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description API keys are set and none (or a wrong one) was sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The key is valid but lacks the read scope; the message names the scope needed and the key's */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many requests from this client; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The database is unreachable, or too many reports are running; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    listDrives: {
        parameters: {
            query?: {
                /** @description Items per page */
                limit?: number;
                /** @description The `nextCursor` of the previous page */
                cursor?: string;
                /** @description A status name, or several separated by commas */
                status?: string;
            };
            header?: {
                /** @description The ETag of an answer already held: 304 (no body) when it is still the current one */
                "If-None-Match"?: string;
            };
            path: {
                /** @description Task id: must be 1-128 characters, each a letter, digit or one of _ . : - */
                taskId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    /** @description The answer’s version: send it back as If-None-Match to be told 304 while it is unchanged */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DrivePage"];
                };
            };
            /** @description Unchanged since the ETag sent in If-None-Match (no body) */
            304: {
                headers: {
                    /** @description The answer’s version: send it back as If-None-Match to be told 304 while it is unchanged */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad input; the message says what is wrong */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description API keys are set and none (or a wrong one) was sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The key is valid but lacks the read scope; the message names the scope needed and the key's */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The task is not tracked */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many requests from this client; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The database is unreachable, or too many reports are running; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    registerDrive: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Task id: must be 1-128 characters, each a letter, digit or one of _ . : - */
                taskId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RegisterDriveBody"];
            };
        };
        responses: {
            /** @description Already known */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DriveView"];
                };
            };
            /** @description Registered */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DriveView"];
                };
            };
            /** @description Bad input; the message says what is wrong */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description API keys are set and none (or a wrong one) was sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The key is valid but lacks the write scope; the message names the scope needed and the key's */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many requests from this client; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The database is unreachable, or too many reports are running; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    getDrive: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Task id: must be 1-128 characters, each a letter, digit or one of _ . : - */
                taskId: string;
                /** @description Drive id: must be 1-128 characters, each a letter, digit or one of _ . : - */
                driveId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DriveDetail"];
                };
            };
            /** @description Bad input; the message says what is wrong */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description API keys are set and none (or a wrong one) was sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The key is valid but lacks the read scope; the message names the scope needed and the key's */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The task or the drive is not known */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many requests from this client; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The database is unreachable, or too many reports are running; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    receiveZegoCallback: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CallbackBody"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CallbackAck"];
                };
            };
            /** @description Malformed event */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Missing or wrong signature, a timestamp more than 10 minutes from now, or a signature already used with another body */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description AppId is not this service’s account */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Callbacks are not enabled (ZEGO_CALLBACK_SECRET unset) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Body over 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Database unreachable, or a stream task event could not be confirmed with ZEGO yet; ZEGO will retry */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    relayMessages: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Task id: must be 1-128 characters, each a letter, digit or one of _ . : - */
                taskId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ClientMessagesBody"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClientMessagesAnswer"];
                };
            };
            /** @description Bad input; the message says what is wrong */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description API keys are set and none (or a wrong one) was sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The key is valid but lacks the write scope; the message names the scope needed and the key's */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many requests from this client; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The database is unreachable, or too many reports are running; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    getFailureReport: {
        parameters: {
            query?: {
                /** @description Start (ISO-8601; UTC when no zone); rounded down to a bucket */
                from?: string;
                /** @description End, exclusive; rounded up to a bucket */
                to?: string;
                /** @description csv answers text/csv with a header row (so does Accept: text/csv) */
                format?: "json" | "csv";
                /** @description minute and 5m: from the per-minute aggregates, for ranges up to 48 hours within MINUTE_RETENTION_DAYS (default range: the last hour, or 6 hours for 5m); hour, day and week: from the hourly aggregates */
                interval?: "minute" | "5m" | "hour" | "day" | "week";
                /** @description Only this task */
                taskId?: string;
                /** @description Only drives of this type, as registered by their producer (not with taskId) */
                type?: "text" | "audio" | "ws" | "rtc";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description JSON, or CSV (start,failed,finished,failureRate,unresolved) when asked for */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FailureReport"];
                    "text/csv": string;
                };
            };
            /** @description Bad input; the message says what is wrong */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description API keys are set and none (or a wrong one) was sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The key is valid but lacks the read scope; the message names the scope needed and the key's */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description taskId names a task that is not tracked */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many requests from this client; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The database is unreachable, or too many reports are running; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    getTaskFailures: {
        parameters: {
            query?: {
                /** @description Start (ISO-8601; UTC when no zone); rounded down to a bucket */
                from?: string;
                /** @description End, exclusive; rounded up to a bucket */
                to?: string;
                /** @description csv answers text/csv with a header row (so does Accept: text/csv) */
                format?: "json" | "csv";
                /** @description minute and 5m: from the per-minute aggregates, for ranges up to 48 hours within MINUTE_RETENTION_DAYS (default range: the last hour, or 6 hours for 5m); hour, day and week: from the hourly aggregates */
                interval?: "minute" | "5m" | "hour" | "day" | "week";
            };
            header?: never;
            path: {
                /** @description Task id: must be 1-128 characters, each a letter, digit or one of _ . : - */
                taskId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description JSON, or CSV (start,failed,finished,failureRate,unresolved) when asked for */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FailureReport"];
                    "text/csv": string;
                };
            };
            /** @description Bad input; the message says what is wrong */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description API keys are set and none (or a wrong one) was sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The key is valid but lacks the read scope; the message names the scope needed and the key's */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The task is not tracked */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many requests from this client; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The database is unreachable, or too many reports are running; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    getDurationReport: {
        parameters: {
            query: {
                /** @description Start (ISO-8601; UTC when no zone); rounded down to a bucket */
                from?: string;
                /** @description End, exclusive; rounded up to a bucket */
                to?: string;
                /** @description csv answers text/csv with a header row (so does Accept: text/csv) */
                format?: "json" | "csv";
                /** @description minute and 5m: from the per-minute aggregates, for ranges up to 48 hours within MINUTE_RETENTION_DAYS (default range: the last hour, or 6 hours for 5m); hour, day and week: from the hourly aggregates */
                interval?: "minute" | "5m" | "hour" | "day" | "week";
                /** @description Only this task */
                taskId?: string;
                /** @description queue_wait: queued -> playing, counted in the hour the drive started playing; play: playing -> failed or finished, counted in the hour it ended */
                metric: "queue_wait" | "play";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description JSON, or CSV (start,count,p50,p90,p95,p99,max; ms, empty where no drive) when asked for */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DurationReport"];
                    "text/csv": string;
                };
            };
            /** @description Bad input; the message says what is wrong */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description API keys are set and none (or a wrong one) was sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The key is valid but lacks the read scope; the message names the scope needed and the key's */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description taskId names a task that is not tracked */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many requests from this client; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The database is unreachable, or too many reports are running; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    getTaskReport: {
        parameters: {
            query?: {
                /** @description Start (ISO-8601; UTC when no zone); rounded down to a bucket */
                from?: string;
                /** @description End, exclusive; rounded up to a bucket */
                to?: string;
                /** @description csv answers text/csv with a header row (so does Accept: text/csv) */
                format?: "json" | "csv";
                /** @description p95PlayMs / p95QueueWaitMs: the slowest tasks first (reads every task’s histograms over the range) */
                sort?: "failures" | "failureRate" | "p95PlayMs" | "p95QueueWaitMs";
                /** @description Items per page */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description JSON, or CSV (taskId,failed,finished,failureRate,p95PlayMs,p95QueueWaitMs) when asked for */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskReport"];
                    "text/csv": string;
                };
            };
            /** @description Bad input; the message says what is wrong */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description API keys are set and none (or a wrong one) was sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The key is valid but lacks the read scope; the message names the scope needed and the key's */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many requests from this client; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The database is unreachable, or too many reports are running; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    getTaskHistory: {
        parameters: {
            query?: {
                /** @description Start (ISO-8601; UTC when no zone); rounded down to a bucket */
                from?: string;
                /** @description End, exclusive; rounded up to a bucket */
                to?: string;
                /** @description csv answers text/csv with a header row (so does Accept: text/csv) */
                format?: "json" | "csv";
                /** @description Items per page */
                limit?: number;
                /** @description The `nextCursor` of the previous page */
                cursor?: string;
            };
            header?: never;
            path: {
                /** @description Task id: must be 1-128 characters, each a letter, digit or one of _ . : - */
                taskId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description JSON, or CSV when asked for (the next cursor then comes in X-Next-Cursor) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskHistoryPage"];
                    "text/csv": string;
                };
            };
            /** @description Bad input; the message says what is wrong */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description API keys are set and none (or a wrong one) was sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The key is valid but lacks the read scope; the message names the scope needed and the key's */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The task is not tracked */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many requests from this client; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The database is unreachable, or too many reports are running; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    report: {
        parameters: {
            query?: {
                /** @description Start (inclusive). Default: 24 hours before `to` */
                from?: string;
                /** @description End (exclusive). Default: now */
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SourcesReport"];
                };
            };
            /** @description Bad input; the message says what is wrong */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description API keys are set and none (or a wrong one) was sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The key is valid but lacks the read scope; the message names the scope needed and the key's */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many requests from this client; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The database is unreachable, or too many reports are running; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    getStatus: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SyncStatus"];
                };
            };
            /** @description Bad input; the message says what is wrong */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description API keys are set and none (or a wrong one) was sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The key is valid but lacks the read scope; the message names the scope needed and the key's */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many requests from this client; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The database is unreachable, or too many reports are running; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    getLiveness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The process is up */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "ok";
                    };
                };
            };
        };
    };
    getReadiness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The Health Check is successful */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @example ok */
                        status?: string;
                        /**
                         * @example {
                         *       "database": {
                         *         "status": "up"
                         *       }
                         *     }
                         */
                        info?: {
                            [key: string]: {
                                status: string;
                            } & {
                                [key: string]: unknown;
                            };
                        } | null;
                        /** @example {} */
                        error?: {
                            [key: string]: {
                                status: string;
                            } & {
                                [key: string]: unknown;
                            };
                        } | null;
                        /**
                         * @example {
                         *       "database": {
                         *         "status": "up"
                         *       }
                         *     }
                         */
                        details?: {
                            [key: string]: {
                                status: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /** @description The Health Check is not successful */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @example error */
                        status?: string;
                        /**
                         * @example {
                         *       "database": {
                         *         "status": "up"
                         *       }
                         *     }
                         */
                        info?: {
                            [key: string]: {
                                status: string;
                            } & {
                                [key: string]: unknown;
                            };
                        } | null;
                        /**
                         * @example {
                         *       "redis": {
                         *         "status": "down",
                         *         "message": "Could not connect"
                         *       }
                         *     }
                         */
                        error?: {
                            [key: string]: {
                                status: string;
                            } & {
                                [key: string]: unknown;
                            };
                        } | null;
                        /**
                         * @example {
                         *       "database": {
                         *         "status": "up"
                         *       },
                         *       "redis": {
                         *         "status": "down",
                         *         "message": "Could not connect"
                         *       }
                         *     }
                         */
                        details?: {
                            [key: string]: {
                                status: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
    };
    listWebhooks: {
        parameters: {
            query?: {
                /** @description Items per page */
                limit?: number;
                /** @description The `nextCursor` of the previous page */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookList"];
                };
            };
            /** @description Bad input; the message says what is wrong */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description API keys are set and none (or a wrong one) was sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The key is valid but lacks the read scope; the message names the scope needed and the key's */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many requests from this client; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The database is unreachable, or too many reports are running; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    createWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateWebhookBody"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedWebhookView"];
                };
            };
            /** @description Bad input; the message says what is wrong */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description API keys are set and none (or a wrong one) was sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The key is valid but lacks the admin scope; the message names the scope needed and the key's */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description WEBHOOKS_MAX webhooks exist already */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many requests from this client; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The database is unreachable, or too many reports are running; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    getWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookView"];
                };
            };
            /** @description Bad input; the message says what is wrong */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description API keys are set and none (or a wrong one) was sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The key is valid but lacks the read scope; the message names the scope needed and the key's */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description No such webhook */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many requests from this client; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The database is unreachable, or too many reports are running; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    deleteWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad input; the message says what is wrong */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description API keys are set and none (or a wrong one) was sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The key is valid but lacks the admin scope; the message names the scope needed and the key's */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description No such webhook */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many requests from this client; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The database is unreachable, or too many reports are running; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    testWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TestEventView"];
                };
            };
            /** @description Bad input; the message says what is wrong */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description API keys are set and none (or a wrong one) was sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The key is valid but lacks the admin scope; the message names the scope needed and the key's */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description No such webhook */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many requests from this client; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The database is unreachable, or too many reports are running; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    listWebhookDeliveries: {
        parameters: {
            query?: {
                /** @description Items per page */
                limit?: number;
                /** @description The `nextCursor` of the previous page */
                cursor?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AttemptPage"];
                };
            };
            /** @description Bad input; the message says what is wrong */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description API keys are set and none (or a wrong one) was sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The key is valid but lacks the read scope; the message names the scope needed and the key's */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description No such webhook */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many requests from this client; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The database is unreachable, or too many reports are running; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    listSlos: {
        parameters: {
            query?: {
                /** @description Items per page */
                limit?: number;
                /** @description The `nextCursor` of the previous page */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SloList"];
                };
            };
            /** @description Bad input; the message says what is wrong */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description API keys are set and none (or a wrong one) was sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The key is valid but lacks the read scope; the message names the scope needed and the key's */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many requests from this client; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The database is unreachable, or too many reports are running; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    createSlo: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateSloBody"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SloView"];
                };
            };
            /** @description Bad input; the message says what is wrong */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description API keys are set and none (or a wrong one) was sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The key is valid but lacks the admin scope; the message names the scope needed and the key's */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description SLOS_MAX SLOs exist already */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many requests from this client; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The database is unreachable, or too many reports are running; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    getSlo: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SloStatusView"];
                };
            };
            /** @description Bad input; the message says what is wrong */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description API keys are set and none (or a wrong one) was sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The key is valid but lacks the read scope; the message names the scope needed and the key's */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description No such SLO */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many requests from this client; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The database is unreachable, or too many reports are running; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    deleteSlo: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad input; the message says what is wrong */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description API keys are set and none (or a wrong one) was sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The key is valid but lacks the admin scope; the message names the scope needed and the key's */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description No such SLO */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description slo_burn alert rules watch it; delete them first */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many requests from this client; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The database is unreachable, or too many reports are running; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    getSloHistory: {
        parameters: {
            query?: {
                /** @description day: one bucket per UTC day of the window; hour: the last 48 hours */
                interval?: "day" | "hour";
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SloHistory"];
                };
            };
            /** @description Bad input; the message says what is wrong */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description API keys are set and none (or a wrong one) was sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The key is valid but lacks the read scope; the message names the scope needed and the key's */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description No such SLO */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many requests from this client; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The database is unreachable, or too many reports are running; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    listAlertRules: {
        parameters: {
            query?: {
                /** @description Items per page */
                limit?: number;
                /** @description The `nextCursor` of the previous page */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AlertRuleList"];
                };
            };
            /** @description Bad input; the message says what is wrong */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description API keys are set and none (or a wrong one) was sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The key is valid but lacks the read scope; the message names the scope needed and the key's */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many requests from this client; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The database is unreachable, or too many reports are running; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    createAlertRule: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateAlertRuleBody"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AlertRuleView"];
                };
            };
            /** @description Bad input; the message says what is wrong */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description API keys are set and none (or a wrong one) was sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The key is valid but lacks the admin scope; the message names the scope needed and the key's */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description ALERT_RULES_MAX rules exist already */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many requests from this client; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The database is unreachable, or too many reports are running; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    getAlertRule: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AlertRuleView"];
                };
            };
            /** @description Bad input; the message says what is wrong */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description API keys are set and none (or a wrong one) was sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The key is valid but lacks the read scope; the message names the scope needed and the key's */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description No such rule */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many requests from this client; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The database is unreachable, or too many reports are running; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    deleteAlertRule: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad input; the message says what is wrong */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description API keys are set and none (or a wrong one) was sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The key is valid but lacks the admin scope; the message names the scope needed and the key's */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description No such rule */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many requests from this client; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The database is unreachable, or too many reports are running; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    updateAlertRule: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateAlertRuleBody"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AlertRuleView"];
                };
            };
            /** @description Bad input; the message says what is wrong */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description API keys are set and none (or a wrong one) was sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The key is valid but lacks the admin scope; the message names the scope needed and the key's */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description No such rule */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many requests from this client; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The database is unreachable, or too many reports are running; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    listAlerts: {
        parameters: {
            query?: {
                /** @description Unset: both */
                state?: "firing" | "resolved";
                /** @description Items per page */
                limit?: number;
                /** @description The `nextCursor` of the previous page */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AlertPage"];
                };
            };
            /** @description Bad input; the message says what is wrong */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description API keys are set and none (or a wrong one) was sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The key is valid but lacks the read scope; the message names the scope needed and the key's */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many requests from this client; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The database is unreachable, or too many reports are running; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    listSilences: {
        parameters: {
            query?: {
                /** @description Items per page */
                limit?: number;
                /** @description The `nextCursor` of the previous page */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SilenceList"];
                };
            };
            /** @description Bad input; the message says what is wrong */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description API keys are set and none (or a wrong one) was sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The key is valid but lacks the read scope; the message names the scope needed and the key's */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many requests from this client; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The database is unreachable, or too many reports are running; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    createSilence: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateSilenceBody"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SilenceView"];
                };
            };
            /** @description Bad input; the message says what is wrong */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description API keys are set and none (or a wrong one) was sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The key is valid but lacks the admin scope; the message names the scope needed and the key's */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description SILENCES_MAX silences are active or scheduled already */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many requests from this client; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The database is unreachable, or too many reports are running; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    deleteSilence: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad input; the message says what is wrong */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description API keys are set and none (or a wrong one) was sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The key is valid but lacks the admin scope; the message names the scope needed and the key's */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description No such silence */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many requests from this client; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The database is unreachable, or too many reports are running; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
}
