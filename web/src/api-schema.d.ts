/**
 * Generated from openapi.json by openapi-typescript (npm run openapi:write). Do not edit:
 * change the route schemas in src/http and regenerate. web/src/api-types.ts names the shapes the app uses.
 */
export interface paths {
    "/admin/api-clients": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The API clients of your organisation (extension)
         * @description Never their secrets.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            content: {
                                /** @description The centers it works for */
                                center_ids: number[];
                                /** @description Public identifier (orc_…), sent to POST /authorize */
                                client_id: string;
                                /** Format: date-time */
                                created_at: string;
                                disabled: boolean;
                                id: number;
                                name: string;
                                organisation_id: number;
                                /** Format: date-time */
                                secret_rotated_at: string;
                            }[];
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description Failure envelope */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Create an API client (extension)
         * @description Its client_secret is in this answer only: only its hash is stored.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Centers it may use; the first is its default */
                        center_ids: number[];
                        /** @description 1 to 200 characters */
                        name: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            content: {
                                /** @description The centers it works for */
                                center_ids: number[];
                                /** @description Public identifier (orc_…), sent to POST /authorize */
                                client_id: string;
                                /** @description ors_…; shown this once: only its hash is stored */
                                client_secret: string;
                                id: number;
                                name: string;
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description Failure envelope */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/api-clients/{apiClientId}/centers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Set the centers an API client may use (extension) */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description API client id (the number, not its client_id) */
                    apiClientId: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Every center it may use from now on, the first its default; its tokens active in a center it loses end */
                        center_ids: number[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            content: {
                                /** @description The centers it works for */
                                center_ids: number[];
                                /** @description Public identifier (orc_…), sent to POST /authorize */
                                client_id: string;
                                /** Format: date-time */
                                created_at: string;
                                disabled: boolean;
                                id: number;
                                name: string;
                                organisation_id: number;
                                /** Format: date-time */
                                secret_rotated_at: string;
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description Failure envelope */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/api-clients/{apiClientId}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Revoke an API client (extension)
         * @description For good: it can no longer get tokens and its tokens stop working at once. Its cases stay.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description API client id (the number, not its client_id) */
                    apiClientId: number;
                };
                cookie?: never;
            };
            /** @description No fields: send no body, or {} */
            requestBody: {
                content: {
                    "application/json": Record<string, never> | null;
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            content: {
                                /** @description The centers it works for */
                                center_ids: number[];
                                /** @description Public identifier (orc_…), sent to POST /authorize */
                                client_id: string;
                                /** Format: date-time */
                                created_at: string;
                                disabled: boolean;
                                id: number;
                                name: string;
                                organisation_id: number;
                                /** Format: date-time */
                                secret_rotated_at: string;
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description Failure envelope */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/api-clients/{apiClientId}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate an API client’s secret (extension)
         * @description The new secret is in this answer only; the old one and every token issued with it stop working at once.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description API client id (the number, not its client_id) */
                    apiClientId: number;
                };
                cookie?: never;
            };
            /** @description No fields: send no body, or {} */
            requestBody: {
                content: {
                    "application/json": Record<string, never> | null;
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            content: {
                                /** @description Public identifier (orc_…), sent to POST /authorize */
                                client_id: string;
                                /** @description ors_…; shown this once: only its hash is stored */
                                client_secret: string;
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description Failure envelope */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The audit trail, newest first (extension)
         * @description Administrators: who read or changed what, logins, token issues and refused authentications, and the CLI’s administrative actions, for their organisation (plus anonymous attempts that name no account). Filter by `case_id`, actor (`actor_kind`, `actor_id`) and time (`from` inclusive, `to` exclusive); `next_cursor` leads to the next page. Ids only: no patient data.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Only entries of this actor (with actor_kind) */
                    actor_id?: number;
                    /** @description Only entries of this kind of actor */
                    actor_kind?: "api_client" | "user" | "cli" | "anonymous" | "dicom";
                    /** @description Only entries about this case */
                    case_id?: number;
                    /** @description The next_cursor of the previous page */
                    cursor?: string;
                    /** @description Only entries at or after this time */
                    from?: string;
                    /** @description Page size; 100 by default */
                    limit?: number;
                    /** @description Only entries before this time */
                    to?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            content: {
                                /** @enum {string} */
                                action: "token.issue" | "session.login" | "session.logout" | "auth.failed" | "access.denied" | "case.create" | "case.list" | "case.read" | "case.images.add" | "report.read" | "callbacks.read" | "callback.redeliver" | "webhook_secret.read" | "webhook_secret.rotate" | "center.change" | "worklist.read" | "reported.list" | "reading_view.read" | "image.read" | "case.claim" | "case.release" | "image.eye.set" | "case.eyes.swap" | "report.sign" | "report.amend" | "report.versions.read" | "case.reject" | "case.images.request" | "organisation.create" | "organisation.list" | "organisation.rename" | "center.create" | "center.list" | "center.update" | "api_client.create" | "api_client.list" | "api_client.secret.rotate" | "api_client.revoke" | "api_client.centers.set" | "user.create" | "user.list" | "user.update" | "user.password.reset" | "audit.read" | "patient.erase" | "dicom_study.discard";
                                /** @description Who acted */
                                actor: {
                                    /** @description The API client's or person's id; null for cli and anonymous */
                                    id: number | null;
                                    /**
                                     * @description api_client, user (a person), cli (the admin command line), anonymous (not authenticated) or dicom (a case made from files a camera sent over DICOM)
                                     * @enum {string}
                                     */
                                    kind: "api_client" | "user" | "cli" | "anonymous" | "dicom";
                                };
                                /** @description The case acted on (the case, one of its images, reports or callbacks) */
                                case_id: number | null;
                                /** @description The center of the object (a case’s center), when it has one */
                                center_id: number | null;
                                /** @description JSON the hash covers, only on entries that need more than ids: an erasure (patient.erase) names the erased case ids and a keyed hash (HMAC) of the history number, never the number */
                                detail: string | null;
                                /** @description SHA-256 (hex) of the previous entry’s hash and this entry’s content */
                                hash: string;
                                /** @description What was read or changed */
                                object: {
                                    id: number;
                                    /** @enum {string} */
                                    kind: "case" | "image" | "callback_delivery" | "center" | "organisation" | "api_client" | "user";
                                } | null;
                                /** Format: date-time */
                                occurred_at: string;
                                /** @description The actor's organisation (for a failed login, the account's); null when none is known */
                                organisation_id: number | null;
                                /** @description X-Request-Id of the request; null for the CLI */
                                request_id: string | null;
                                /** @description Its place in the chain: 1, 2, 3, … without gaps */
                                seq: number;
                                /** @description The HTTP status answered (for the CLI, what the same refusal answers over HTTP; 200 when done) */
                                status: number;
                            }[];
                            /** @description Cursor of the next (older) page; null on the last */
                            next_cursor: string | null;
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description Failure envelope */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/centers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The centers of your organisation (extension) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            content: {
                                /** @description Printed under its name on its reports; lines separated by \n (at most 4 lines) */
                                address: string | null;
                                /** Format: date-time */
                                created_at: string;
                                id: number;
                                /**
                                 * @description Language of its reports: their wording, dates and numbers
                                 * @enum {string}
                                 */
                                language: "en" | "es";
                                name: string;
                                organisation_id: number;
                                /**
                                 * @description IANA time zone its reports are dated in: its own, or the instance default (OPENRETINA_DEFAULT_TIMEZONE)
                                 * @example Europe/Madrid
                                 */
                                timezone: string;
                            }[];
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description Failure envelope */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Create a center (extension)
         * @description Its language (en by default), time zone (null: the instance default) and the address printed on its reports.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Printed on its reports, at most 4 lines; null or empty: none */
                        address?: string | null;
                        /**
                         * @description Language of its reports; en when created without one
                         * @enum {string}
                         */
                        language?: "en" | "es";
                        /** @description 1 to 200 characters */
                        name: string;
                        /** @description IANA time zone its reports are dated in; null: the instance default */
                        timezone?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            content: {
                                /** @description Printed under its name on its reports; lines separated by \n (at most 4 lines) */
                                address: string | null;
                                /** Format: date-time */
                                created_at: string;
                                id: number;
                                /**
                                 * @description Language of its reports: their wording, dates and numbers
                                 * @enum {string}
                                 */
                                language: "en" | "es";
                                name: string;
                                organisation_id: number;
                                /**
                                 * @description IANA time zone its reports are dated in: its own, or the instance default (OPENRETINA_DEFAULT_TIMEZONE)
                                 * @example Europe/Madrid
                                 */
                                timezone: string;
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description Failure envelope */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/centers/{centerId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change a center (extension)
         * @description Name, language, time zone (null: the instance default), address (null or empty: none). Reports rendered from then on show the change.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Center id */
                    centerId: number;
                };
                cookie?: never;
            };
            /** @description What to change; a field left out stays as it is */
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Printed on its reports, at most 4 lines; null or empty: none */
                        address?: string | null;
                        /**
                         * @description Language of its reports; en when created without one
                         * @enum {string}
                         */
                        language?: "en" | "es";
                        /** @description 1 to 200 characters */
                        name?: string;
                        /** @description IANA time zone its reports are dated in; null: the instance default */
                        timezone?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            content: {
                                /** @description Printed under its name on its reports; lines separated by \n (at most 4 lines) */
                                address: string | null;
                                /** Format: date-time */
                                created_at: string;
                                id: number;
                                /**
                                 * @description Language of its reports: their wording, dates and numbers
                                 * @enum {string}
                                 */
                                language: "en" | "es";
                                name: string;
                                organisation_id: number;
                                /**
                                 * @description IANA time zone its reports are dated in: its own, or the instance default (OPENRETINA_DEFAULT_TIMEZONE)
                                 * @example Europe/Madrid
                                 */
                                timezone: string;
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description Failure envelope */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/admin/erasures": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Erase a patient of a center (extension)
         * @description Administrators: erases every case of `history_number` in the center, or the cases `case_ids` of the center, with their images, previews, reports and their PDFs, reading claims, rejections, requests for photographs, search terms, callbacks (pending payloads too) and stored Idempotency-Key answers naming them, from the database and the blob store. Nothing is erased unless every case named is there (404). The audit trail keeps an entry `patient.erase` naming the case ids and a keyed hash of each history number, never the number; entries recorded before hold ids only and stay. Not undoable.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            /** @description Give either history_number or case_ids */
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Or erase these cases of the center (all must be there, or nothing is erased) */
                        case_ids?: number[];
                        /** @description The center whose patient is erased (one of your organisation) */
                        center_id: number;
                        /** @description Erase every case of the center with this history number */
                        history_number?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            content: {
                                /** @description Files removed from the blob store (originals, previews, report PDFs, DICOM inbox files) */
                                blobs_deleted: number;
                                /** @description Files whose removal failed; housekeeping removes them within its next runs (no row names them any more) */
                                blobs_left: number;
                                /** @description Callback deliveries, pending or done, with their payloads */
                                callbacks: number;
                                /** @description The cases erased */
                                case_ids: number[];
                                cases: number;
                                center_id: number;
                                /** @description Studies received over DICOM (network intake) whose PatientID is the history number, still waiting to become a case or kept as failed, erased with their files */
                                dicom_inbox_studies: number;
                                /** @description What the audit trail keeps of the patient: a keyed hash (HMAC-SHA256) of each history number, never the number */
                                history_number_hmacs: string[];
                                /** @description Stored Idempotency-Key answers that named the cases */
                                idempotency_keys: number;
                                images: number;
                                /** @description Previews and thumbnails */
                                previews: number;
                                /** @description Report versions signed */
                                reports: number;
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description Failure envelope */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/organisations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Your organisation (extension)
         * @description A list holding the one organisation the admin administers.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            content: {
                                /** Format: date-time */
                                created_at: string;
                                id: number;
                                name: string;
                            }[];
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description Failure envelope */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Create an organisation with its first admin (extension)
         * @description A new tenant, apart from yours: you will not see into it. Its first admin (password generated and shown once unless given) administers it. Nothing is created when anything is refused; an e-mail already taken answers 409.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Its first admin, who administers it from then on; without a password one is generated and shown once */
                        admin: {
                            email: string;
                            name: string;
                            /** @description At least 12 characters */
                            password?: string;
                        };
                        /** @description 1 to 200 characters */
                        name: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            content: {
                                admin: {
                                    email: string;
                                    id: number;
                                    /** @description Only when generated (no --password given); shown this once */
                                    password?: string;
                                    /** @enum {string} */
                                    role: "admin" | "reader" | "staff";
                                };
                                organisation: {
                                    /** Format: date-time */
                                    created_at: string;
                                    id: number;
                                    name: string;
                                };
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description Failure envelope */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/organisations/{organisationId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Rename your organisation (extension) */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Organisation id */
                    organisationId: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description 1 to 200 characters */
                        name: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            content: {
                                /** Format: date-time */
                                created_at: string;
                                id: number;
                                name: string;
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description Failure envelope */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/admin/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The people of your organisation (extension)
         * @description Never their passwords or hashes.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            content: {
                                /** @description Staff: the centers they work for */
                                center_ids: number[];
                                /** Format: date-time */
                                created_at: string;
                                /** @description A disabled person cannot log in; their sessions ended when they were disabled */
                                disabled: boolean;
                                email: string;
                                id: number;
                                /** @description Readers: printed on signed reports */
                                licence_number: string | null;
                                name: string;
                                organisation_id: number;
                                /** @enum {string} */
                                role: "admin" | "reader" | "staff";
                            }[];
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description Failure envelope */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Create a person (extension)
         * @description A reader needs licence_number, staff need center_ids. Without a password one is generated and shown in this answer only. An e-mail already taken answers 409.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Staff: required, the centers they work for */
                        center_ids?: number[];
                        email: string;
                        /** @description Readers: required, printed on signed reports */
                        licence_number?: string;
                        /** @description 1 to 200 characters */
                        name: string;
                        /** @description At least 12 characters */
                        password?: string;
                        /** @enum {string} */
                        role: "admin" | "reader" | "staff";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            content: {
                                email: string;
                                id: number;
                                /** @description Only when generated (no --password given); shown this once */
                                password?: string;
                                /** @enum {string} */
                                role: "admin" | "reader" | "staff";
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description Failure envelope */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/users/{userId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change a person (extension)
         * @description Name, role, licence number, centers, or disabled: a disabled person cannot log in and their sessions end at once. You cannot disable or demote yourself.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Person id */
                    userId: number;
                };
                cookie?: never;
            };
            /** @description What to change; a field left out stays as it is */
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Every center they work for from now on */
                        center_ids?: number[];
                        /** @description true: cannot log in, sessions end; false: may log in again */
                        disabled?: boolean;
                        licence_number?: string | null;
                        /** @description 1 to 200 characters */
                        name?: string;
                        /** @enum {string} */
                        role?: "admin" | "reader" | "staff";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            content: {
                                /** @description Staff: the centers they work for */
                                center_ids: number[];
                                /** Format: date-time */
                                created_at: string;
                                /** @description A disabled person cannot log in; their sessions ended when they were disabled */
                                disabled: boolean;
                                email: string;
                                id: number;
                                /** @description Readers: printed on signed reports */
                                licence_number: string | null;
                                name: string;
                                organisation_id: number;
                                /** @enum {string} */
                                role: "admin" | "reader" | "staff";
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description Failure envelope */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/admin/users/{userId}/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reset a person’s password (extension)
         * @description Sets the password given, or generates one shown in this answer only; their sessions end.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Person id */
                    userId: number;
                };
                cookie?: never;
            };
            /** @description Send no body or {} for a generated password (shown once), or {"password": …} to set one */
            requestBody: {
                content: {
                    "application/json": {
                        /** @description At least 12 characters */
                        password?: string;
                    } | null;
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            content: {
                                /** @description Only when generated (no password given); shown this once */
                                password?: string;
                                user_id: number;
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description Failure envelope */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Log in a person (extension)
         * @description E-mail and password as JSON or form. By default the answer carries a bearer token; with `"cookie": true` (the web app) the session goes into an httpOnly cookie and the answer carries the CSRF token instead. Repeated failures per e-mail or IP answer 429 with Retry-After.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Start a cookie session (web app); "true" or "false" in a form */
                        cookie?: boolean | ("true" | "false");
                        email: string;
                        password: string;
                    };
                    "application/x-www-form-urlencoded": {
                        /** @description Start a cookie session (web app); "true" or "false" in a form */
                        cookie?: boolean | ("true" | "false");
                        email: string;
                        password: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            content: {
                                access_token: string;
                                expires_in: number;
                                /** @enum {string} */
                                token_type: "Bearer";
                                user: {
                                    /** @description Staff: the centers they work for */
                                    center_ids: number[];
                                    email: string;
                                    id: number;
                                    /** @description Readers: printed on signed reports */
                                    licence_number: string | null;
                                    name: string;
                                    organisation_id: number;
                                    /** @enum {string} */
                                    role: "admin" | "reader" | "staff";
                                };
                            } | {
                                csrf_token: string;
                                expires_in: number;
                                /** @enum {string} */
                                token_type: "cookie";
                                user: {
                                    /** @description Staff: the centers they work for */
                                    center_ids: number[];
                                    email: string;
                                    id: number;
                                    /** @description Readers: printed on signed reports */
                                    licence_number: string | null;
                                    name: string;
                                    organisation_id: number;
                                    /** @enum {string} */
                                    role: "admin" | "reader" | "staff";
                                };
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description Failure envelope */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * End this session (extension)
         * @description Ends the session and clears the web app’s cookie.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            /** @description No fields: send no body, or {} */
            requestBody: {
                content: {
                    "application/json": Record<string, never> | null;
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            content: boolean;
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/authorize": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Get an access token
         * @description Client credentials grant. Body as application/x-www-form-urlencoded or application/json, or the credentials as HTTP Basic. Errors follow RFC 6749 §5.2.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Client identifier */
                        client_id?: string;
                        /** @description Client secret */
                        client_secret?: string;
                        /** @enum {string} */
                        grant_type?: "client_credentials";
                        /** @description Ignored (sent empty by the OPTretina SDK) */
                        redirect_uri?: string;
                    } & {
                        [key: string]: string;
                    };
                    "application/x-www-form-urlencoded": {
                        /** @description Client identifier */
                        client_id?: string;
                        /** @description Client secret */
                        client_secret?: string;
                        /** @enum {string} */
                        grant_type?: "client_credentials";
                        /** @description Ignored (sent empty by the OPTretina SDK) */
                        redirect_uri?: string;
                    } & {
                        [key: string]: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            access_token: string;
                            /** @description Seconds until the token expires */
                            expires_in: number;
                            /** @enum {string} */
                            token_type: "Bearer";
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["OAuthError"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["OAuthError"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/callbacks/secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This client's callback signing secret (extension) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            content: {
                                /**
                                 * Format: date-time
                                 * @description After a rotation, the old secret also signs until then
                                 */
                                previous_secret_valid_until?: string;
                                /** @description whsec_… (Standard Webhooks); verify webhook-signature with it */
                                webhook_secret: string;
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description Failure envelope */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/callbacks/secret/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate this client's callback signing secret (extension)
         * @description The old secret keeps signing, alongside the new one, for OPENRETINA_WEBHOOK_ROTATION_GRACE_HOURS.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            /** @description No fields: send no body, or {} */
            requestBody: {
                content: {
                    "application/json": Record<string, never> | null;
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            content: {
                                /**
                                 * Format: date-time
                                 * @description After a rotation, the old secret also signs until then
                                 */
                                previous_secret_valid_until?: string;
                                /** @description whsec_… (Standard Webhooks); verify webhook-signature with it */
                                webhook_secret: string;
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description Failure envelope */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/cases": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the cases of the active center
         * @description Newest first. `next_cursor` (extension) and a `Link: rel="next"` header lead to the next page.
         */
        get: {
            parameters: {
                query?: {
                    /** @description The next_cursor of the previous page */
                    cursor?: string;
                    /** @description Page size; default 50, values above 200 are clamped to 200 */
                    limit?: number;
                    /** @description Only cases in this status */
                    status?: "pending" | "reported" | "rejected";
                    /** @description Only cases changed at or after this time (for polling) */
                    updated_since?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description The same array as content: the OPTretina SDK example reads $response->cases */
                            cases: components["schemas"]["Case"][];
                            content: components["schemas"]["Case"][];
                            /** @description Extension: cursor of the next page, null on the last */
                            next_cursor: string | null;
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description Failure envelope */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Create a case
         * @description multipart/form-data with the intake fields and the images (`images[]` or `images`), in the active center. An `Idempotency-Key` header makes retries safe: the same key and request return the first answer; the same key with another request is a 422; while the first is still running, a 409. `wait_for_checks` (query) or `Wait-For-Checks` (header), an extension, makes the 201 wait a little for the automatic checks of the images and carry them in `images`.
         */
        post: {
            parameters: {
                query?: {
                    /**
                     * @description Extension: wait up to this long (e.g. 2s, 1.5s, 2500ms; at most OPENRETINA_CHECK_MAX_WAIT_MS, 10 s) for the automatic checks of the images, and answer with them in `images` (those not checked in time still `checking`). The upload itself never waits: images are decoded by the image worker after the case is stored.
                     * @example 2s
                     */
                    wait_for_checks?: string;
                };
                header?: {
                    /** @description Client-chosen unique key for safe retries */
                    "idempotency-key"?: string;
                    /** @description Instead of the query's wait_for_checks. Extension: wait up to this long (e.g. 2s, 1.5s, 2500ms; at most OPENRETINA_CHECK_MAX_WAIT_MS, 10 s) for the automatic checks of the images, and answer with them in `images` (those not checked in time still `checking`). The upload itself never waits: images are decoded by the image worker after the case is stored. */
                    "wait-for-checks"?: string;
                };
                path?: never;
                cookie?: never;
            };
            /** @description Required: gender, age; and a case needs history_number, or both first_name and last_name, so the center can match the report to its patient. Empty strings count as absent. Unknown fields are refused. */
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Legacy: the token as a form field (OPTretina SDK) */
                        access_token?: string;
                        /**
                         * @description Age in whole years (0–120). Decimal comma accepted.
                         * @example 0
                         */
                        age: string;
                        /**
                         * Format: uri
                         * @description http(s) URL that is told when the report is ready or the case is rejected. No user:password part.
                         */
                        callback_url?: string;
                        /** @description Free text for anything without its own field (OPTretina SDK). */
                        description?: string;
                        /**
                         * @description 0 no, 1 yes.
                         * @enum {string}
                         */
                        diabetes?: "0" | "1";
                        /** @description Patient first name. Never shown to readers. */
                        first_name?: string;
                        /**
                         * @description 0 male, 1 female.
                         * @enum {string}
                         */
                        gender: "0" | "1";
                        /** @description The center's own patient identifier (clinical history number). */
                        history_number?: string;
                        /** @description Which eye each file shows, in file order: e.g. `od,os` (an empty entry: not known). Without it, `images[od]`/`images[os]` or else the file name decides */
                        image_eyes?: string;
                        /** @description Images, as `images[]` (seed), `images` (OPTretina SDK), `images[0]`…, or `images[od]` / `images[os]` to say which eye each shows; one or many */
                        "images[]"?: string[];
                        /** @description Patient last name. Never shown to readers. */
                        last_name?: string;
                        /**
                         * @description Near addition of the right eye in dioptres (0 to +5). Decimal comma accepted.
                         * @example 0
                         */
                        od_add?: string;
                        /**
                         * @description Cylinder axis of the right eye in degrees (0–180). Decimal comma accepted.
                         * @example 0
                         */
                        od_axis?: string;
                        /**
                         * @description Cylinder of the right eye in dioptres (−15 to +15). Decimal comma accepted.
                         * @example -15
                         */
                        od_cylinder?: string;
                        /**
                         * @description Intraocular pressure of the right eye in mmHg (0–80; normal is about 10–21, acute angle closure reaches 60–70). Decimal comma accepted.
                         * @example 0
                         */
                        od_iop?: string;
                        /**
                         * @description Prism of the right eye in prism dioptres (0–30). Decimal comma accepted.
                         * @example 0
                         */
                        od_prism?: string;
                        /**
                         * @description Prism base of the right eye: 0 down, 1 up.
                         * @enum {string}
                         */
                        od_prism_base?: "0" | "1";
                        /**
                         * @description Sphere of the right eye in dioptres (−30 to +30). Decimal comma accepted.
                         * @example -30
                         */
                        od_sphere?: string;
                        /**
                         * @description Visual acuity of the right eye as a decimal (0–2.0, 1.0 = 20/20). A Snellen fraction such as 20/40 or 6/12 is converted. Decimal comma accepted.
                         * @example 0
                         */
                        od_va?: string;
                        /** @description Ophthalmic history. */
                        ophthalmic_antecedents?: string;
                        /**
                         * @description Near addition of the left eye in dioptres (0 to +5). Decimal comma accepted.
                         * @example 0
                         */
                        os_add?: string;
                        /**
                         * @description Cylinder axis of the left eye in degrees (0–180). Decimal comma accepted.
                         * @example 0
                         */
                        os_axis?: string;
                        /**
                         * @description Cylinder of the left eye in dioptres (−15 to +15). Decimal comma accepted.
                         * @example -15
                         */
                        os_cylinder?: string;
                        /**
                         * @description Intraocular pressure of the left eye in mmHg (0–80; normal is about 10–21, acute angle closure reaches 60–70). Decimal comma accepted.
                         * @example 0
                         */
                        os_iop?: string;
                        /**
                         * @description Prism of the left eye in prism dioptres (0–30). Decimal comma accepted.
                         * @example 0
                         */
                        os_prism?: string;
                        /**
                         * @description Prism base of the left eye: 0 down, 1 up.
                         * @enum {string}
                         */
                        os_prism_base?: "0" | "1";
                        /**
                         * @description Sphere of the left eye in dioptres (−30 to +30). Decimal comma accepted.
                         * @example -30
                         */
                        os_sphere?: string;
                        /**
                         * @description Visual acuity of the left eye as a decimal (0–2.0, 1.0 = 20/20). A Snellen fraction such as 20/40 or 6/12 is converted. Decimal comma accepted.
                         * @example 0
                         */
                        os_va?: string;
                        /** @description Other relevant clinical information. */
                        other_relevant_info?: string;
                        /** @description Notes for the reading retina specialist. */
                        retinologist_notes?: string;
                        /**
                         * Format: date
                         * @description Date of the visit, YYYY-MM-DD (a full ISO 8601 or "YYYY-MM-DD HH:MM:SS" timestamp is cut to its date). Not before 1900, not after tomorrow. Defaults to the day the case is received.
                         */
                        visit_date?: string;
                        /** @description Why the patient came. */
                        visit_reason?: string;
                    };
                    "application/x-www-form-urlencoded": {
                        /** @description Legacy: the token as a form field (OPTretina SDK) */
                        access_token?: string;
                        /**
                         * @description Age in whole years (0–120). Decimal comma accepted.
                         * @example 0
                         */
                        age: string;
                        /**
                         * Format: uri
                         * @description http(s) URL that is told when the report is ready or the case is rejected. No user:password part.
                         */
                        callback_url?: string;
                        /** @description Free text for anything without its own field (OPTretina SDK). */
                        description?: string;
                        /**
                         * @description 0 no, 1 yes.
                         * @enum {string}
                         */
                        diabetes?: "0" | "1";
                        /** @description Patient first name. Never shown to readers. */
                        first_name?: string;
                        /**
                         * @description 0 male, 1 female.
                         * @enum {string}
                         */
                        gender: "0" | "1";
                        /** @description The center's own patient identifier (clinical history number). */
                        history_number?: string;
                        /** @description Which eye each file shows, in file order: e.g. `od,os` (an empty entry: not known). Without it, `images[od]`/`images[os]` or else the file name decides */
                        image_eyes?: string;
                        /** @description Images, as `images[]` (seed), `images` (OPTretina SDK), `images[0]`…, or `images[od]` / `images[os]` to say which eye each shows; one or many */
                        "images[]"?: string[];
                        /** @description Patient last name. Never shown to readers. */
                        last_name?: string;
                        /**
                         * @description Near addition of the right eye in dioptres (0 to +5). Decimal comma accepted.
                         * @example 0
                         */
                        od_add?: string;
                        /**
                         * @description Cylinder axis of the right eye in degrees (0–180). Decimal comma accepted.
                         * @example 0
                         */
                        od_axis?: string;
                        /**
                         * @description Cylinder of the right eye in dioptres (−15 to +15). Decimal comma accepted.
                         * @example -15
                         */
                        od_cylinder?: string;
                        /**
                         * @description Intraocular pressure of the right eye in mmHg (0–80; normal is about 10–21, acute angle closure reaches 60–70). Decimal comma accepted.
                         * @example 0
                         */
                        od_iop?: string;
                        /**
                         * @description Prism of the right eye in prism dioptres (0–30). Decimal comma accepted.
                         * @example 0
                         */
                        od_prism?: string;
                        /**
                         * @description Prism base of the right eye: 0 down, 1 up.
                         * @enum {string}
                         */
                        od_prism_base?: "0" | "1";
                        /**
                         * @description Sphere of the right eye in dioptres (−30 to +30). Decimal comma accepted.
                         * @example -30
                         */
                        od_sphere?: string;
                        /**
                         * @description Visual acuity of the right eye as a decimal (0–2.0, 1.0 = 20/20). A Snellen fraction such as 20/40 or 6/12 is converted. Decimal comma accepted.
                         * @example 0
                         */
                        od_va?: string;
                        /** @description Ophthalmic history. */
                        ophthalmic_antecedents?: string;
                        /**
                         * @description Near addition of the left eye in dioptres (0 to +5). Decimal comma accepted.
                         * @example 0
                         */
                        os_add?: string;
                        /**
                         * @description Cylinder axis of the left eye in degrees (0–180). Decimal comma accepted.
                         * @example 0
                         */
                        os_axis?: string;
                        /**
                         * @description Cylinder of the left eye in dioptres (−15 to +15). Decimal comma accepted.
                         * @example -15
                         */
                        os_cylinder?: string;
                        /**
                         * @description Intraocular pressure of the left eye in mmHg (0–80; normal is about 10–21, acute angle closure reaches 60–70). Decimal comma accepted.
                         * @example 0
                         */
                        os_iop?: string;
                        /**
                         * @description Prism of the left eye in prism dioptres (0–30). Decimal comma accepted.
                         * @example 0
                         */
                        os_prism?: string;
                        /**
                         * @description Prism base of the left eye: 0 down, 1 up.
                         * @enum {string}
                         */
                        os_prism_base?: "0" | "1";
                        /**
                         * @description Sphere of the left eye in dioptres (−30 to +30). Decimal comma accepted.
                         * @example -30
                         */
                        os_sphere?: string;
                        /**
                         * @description Visual acuity of the left eye as a decimal (0–2.0, 1.0 = 20/20). A Snellen fraction such as 20/40 or 6/12 is converted. Decimal comma accepted.
                         * @example 0
                         */
                        os_va?: string;
                        /** @description Other relevant clinical information. */
                        other_relevant_info?: string;
                        /** @description Notes for the reading retina specialist. */
                        retinologist_notes?: string;
                        /**
                         * Format: date
                         * @description Date of the visit, YYYY-MM-DD (a full ISO 8601 or "YYYY-MM-DD HH:MM:SS" timestamp is cut to its date). Not before 1900, not after tomorrow. Defaults to the day the case is received.
                         */
                        visit_date?: string;
                        /** @description Why the patient came. */
                        visit_reason?: string;
                    };
                    "multipart/form-data": {
                        /** @description Legacy: the token as a form field (OPTretina SDK) */
                        access_token?: string;
                        /**
                         * @description Age in whole years (0–120). Decimal comma accepted.
                         * @example 0
                         */
                        age: string;
                        /**
                         * Format: uri
                         * @description http(s) URL that is told when the report is ready or the case is rejected. No user:password part.
                         */
                        callback_url?: string;
                        /** @description Free text for anything without its own field (OPTretina SDK). */
                        description?: string;
                        /**
                         * @description 0 no, 1 yes.
                         * @enum {string}
                         */
                        diabetes?: "0" | "1";
                        /** @description Patient first name. Never shown to readers. */
                        first_name?: string;
                        /**
                         * @description 0 male, 1 female.
                         * @enum {string}
                         */
                        gender: "0" | "1";
                        /** @description The center's own patient identifier (clinical history number). */
                        history_number?: string;
                        /** @description Which eye each file shows, in file order: e.g. `od,os` (an empty entry: not known). Without it, `images[od]`/`images[os]` or else the file name decides */
                        image_eyes?: string;
                        /** @description Images, as `images[]` (seed), `images` (OPTretina SDK), `images[0]`…, or `images[od]` / `images[os]` to say which eye each shows; one or many */
                        "images[]"?: string[];
                        /** @description Patient last name. Never shown to readers. */
                        last_name?: string;
                        /**
                         * @description Near addition of the right eye in dioptres (0 to +5). Decimal comma accepted.
                         * @example 0
                         */
                        od_add?: string;
                        /**
                         * @description Cylinder axis of the right eye in degrees (0–180). Decimal comma accepted.
                         * @example 0
                         */
                        od_axis?: string;
                        /**
                         * @description Cylinder of the right eye in dioptres (−15 to +15). Decimal comma accepted.
                         * @example -15
                         */
                        od_cylinder?: string;
                        /**
                         * @description Intraocular pressure of the right eye in mmHg (0–80; normal is about 10–21, acute angle closure reaches 60–70). Decimal comma accepted.
                         * @example 0
                         */
                        od_iop?: string;
                        /**
                         * @description Prism of the right eye in prism dioptres (0–30). Decimal comma accepted.
                         * @example 0
                         */
                        od_prism?: string;
                        /**
                         * @description Prism base of the right eye: 0 down, 1 up.
                         * @enum {string}
                         */
                        od_prism_base?: "0" | "1";
                        /**
                         * @description Sphere of the right eye in dioptres (−30 to +30). Decimal comma accepted.
                         * @example -30
                         */
                        od_sphere?: string;
                        /**
                         * @description Visual acuity of the right eye as a decimal (0–2.0, 1.0 = 20/20). A Snellen fraction such as 20/40 or 6/12 is converted. Decimal comma accepted.
                         * @example 0
                         */
                        od_va?: string;
                        /** @description Ophthalmic history. */
                        ophthalmic_antecedents?: string;
                        /**
                         * @description Near addition of the left eye in dioptres (0 to +5). Decimal comma accepted.
                         * @example 0
                         */
                        os_add?: string;
                        /**
                         * @description Cylinder axis of the left eye in degrees (0–180). Decimal comma accepted.
                         * @example 0
                         */
                        os_axis?: string;
                        /**
                         * @description Cylinder of the left eye in dioptres (−15 to +15). Decimal comma accepted.
                         * @example -15
                         */
                        os_cylinder?: string;
                        /**
                         * @description Intraocular pressure of the left eye in mmHg (0–80; normal is about 10–21, acute angle closure reaches 60–70). Decimal comma accepted.
                         * @example 0
                         */
                        os_iop?: string;
                        /**
                         * @description Prism of the left eye in prism dioptres (0–30). Decimal comma accepted.
                         * @example 0
                         */
                        os_prism?: string;
                        /**
                         * @description Prism base of the left eye: 0 down, 1 up.
                         * @enum {string}
                         */
                        os_prism_base?: "0" | "1";
                        /**
                         * @description Sphere of the left eye in dioptres (−30 to +30). Decimal comma accepted.
                         * @example -30
                         */
                        os_sphere?: string;
                        /**
                         * @description Visual acuity of the left eye as a decimal (0–2.0, 1.0 = 20/20). A Snellen fraction such as 20/40 or 6/12 is converted. Decimal comma accepted.
                         * @example 0
                         */
                        os_va?: string;
                        /** @description Other relevant clinical information. */
                        other_relevant_info?: string;
                        /** @description Notes for the reading retina specialist. */
                        retinologist_notes?: string;
                        /**
                         * Format: date
                         * @description Date of the visit, YYYY-MM-DD (a full ISO 8601 or "YYYY-MM-DD HH:MM:SS" timestamp is cut to its date). Not before 1900, not after tomorrow. Defaults to the day the case is received.
                         */
                        visit_date?: string;
                        /** @description Why the patient came. */
                        visit_reason?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description The new case id */
                            content: number;
                            /** @description Extension, only with wait_for_checks: the case’s images with their status and automatic checks as they stood when the answer was sent */
                            images?: {
                                /** @description The automatic checks once the image is decoded; null while checking, when unreadable, and for images stored before checks existed */
                                checks: {
                                    /** @description A fundus photograph: a round field of view on a dark surround, in the colours of a retina (or grey: red-free) */
                                    fundus: {
                                        reason: string;
                                        /** @description A score: how round the lit field is, scaled down by each other criterion that fails (its surround's darkness, its colour) */
                                        value: number;
                                        /** @enum {string} */
                                        verdict: "fundus" | "not_fundus";
                                    };
                                    /** @description Which eye, from where the optic disc lies in a macula-centred photograph */
                                    laterality: {
                                        confidence: number;
                                        reason: string;
                                        /**
                                         * @description The eye the optic disc says (on the image’s right: od), null when not sure
                                         * @enum {string|null}
                                         */
                                        value: "od" | "os" | null;
                                        /**
                                         * @description detected: nobody had said, so the check filled in `eye` (eye_source detected); agrees / disagrees: with the image's eye as it stands (a disagreement is flagged to the reader); uncertain: no optic disc clearly on one side
                                         * @enum {string}
                                         */
                                        verdict: "detected" | "agrees" | "disagrees" | "uncertain";
                                    };
                                    /** @description Gradability */
                                    quality: {
                                        measures: {
                                            /** @description Share of the round field of view inside the picture (0–1) */
                                            coverage: {
                                                reason: string;
                                                /** @description Share of the round field of view inside the picture (0–1) */
                                                value: number;
                                                /** @enum {string} */
                                                verdict: "good" | "usable" | "reject";
                                            };
                                            /** @description Share of the field burnt out (0–1) */
                                            overexposed: {
                                                reason: string;
                                                /** @description Share of the field burnt out (0–1) */
                                                value: number;
                                                /** @enum {string} */
                                                verdict: "good" | "usable" | "reject";
                                            };
                                            /** @description The field's diameter in the original's pixels */
                                            resolution: {
                                                reason: string;
                                                /** @description The field's diameter in the original's pixels */
                                                value: number;
                                                /** @enum {string} */
                                                verdict: "good" | "usable" | "reject";
                                            };
                                            /** @description Fine detail inside the field: high-frequency energy, per cent of its brightness, discounted for defocus */
                                            sharpness: {
                                                reason: string;
                                                /** @description Fine detail inside the field: high-frequency energy, per cent of its brightness, discounted for defocus */
                                                value: number;
                                                /** @enum {string} */
                                                verdict: "good" | "usable" | "reject";
                                            };
                                            /** @description Share of the field too dark to show detail (0–1) */
                                            underexposed: {
                                                reason: string;
                                                /** @description Share of the field too dark to show detail (0–1) */
                                                value: number;
                                                /** @enum {string} */
                                                verdict: "good" | "usable" | "reject";
                                            };
                                        };
                                        /** @description What limits it, in words */
                                        reason: string;
                                        /** @description A score: 1 when every measure is good, 0.5 at the edge of usable, lower towards reject */
                                        value: number;
                                        /**
                                         * @description The worst verdict of the measures: good, usable (gradable with some loss) or reject (take it again)
                                         * @enum {string}
                                         */
                                        verdict: "good" | "usable" | "reject";
                                    };
                                } | null;
                                content_type: string;
                                /** Format: date-time */
                                created_at: string;
                                /** @description Extension: the image came as a DICOM file. The photograph was taken from it (JPEG frames as they were, uncompressed pixels as PNG) and is what `content_type`, `size` and the previews describe; the file itself is kept as it came, for the clinic that sent it: GET /cases/{id}/images/{image_id}/dicom. Null for images sent as JPEG, PNG or TIFF. */
                                dicom: {
                                    /** @description Bytes of the DICOM file as it came */
                                    size: number;
                                    /** @enum {string} */
                                    sop_class: "ophthalmic_photography" | "secondary_capture";
                                } | null;
                                /**
                                 * @description Which eye the photograph shows: od (right) or os (left); null while nobody has said
                                 * @enum {string|null}
                                 */
                                eye: "od" | "os" | null;
                                /**
                                 * @description Who said which eye: client (images[od]/images[os] or image_eyes), dicom (ImageLaterality of the DICOM file it came in), file_name (guessed from it), reader (set or corrected while reading), detected (the automatic check, where nobody had said)
                                 * @enum {string|null}
                                 */
                                eye_source: "client" | "file_name" | "reader" | "dicom" | "detected" | null;
                                /** @description The client's file name, for display */
                                file_name: string;
                                height: number;
                                id: number;
                                /** @description Hex SHA-256 of the stored file. Null for a few seconds after the upload: the image worker hashes the stored file with the previews. Known at once when the case was created with an Idempotency-Key. */
                                sha256: string | null;
                                /** @description Bytes */
                                size: number;
                                /**
                                 * @description checking: not decoded yet (about a second after the upload); ok: decoded, see checks; unreadable: it cannot be decoded (status_reason says why; the clinic gets a case.image_unreadable callback, and readers never see it): send it again
                                 * @enum {string}
                                 */
                                status: "checking" | "ok" | "unreadable";
                                /** @description Why the image is unreadable; null otherwise */
                                status_reason: string | null;
                                width: number;
                            }[];
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description Failure envelope */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/cases/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get one case */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /**
                     * @description Case id (an integer)
                     * @example 42
                     */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            content: components["schemas"]["Case"];
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description Failure envelope */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/cases/{id}/callbacks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A case's callbacks and every delivery attempt (extension) */
        get: {
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
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            content: {
                                attempt_log: {
                                    duration_ms: number;
                                    /** @description Why the attempt did not count as delivered */
                                    error: string | null;
                                    /**
                                     * Format: date-time
                                     * @description When the next attempt was scheduled; null when this one ended the delivery
                                     */
                                    next_attempt_at: string | null;
                                    /** Format: date-time */
                                    started_at: string;
                                    /** @description HTTP status; null when no answer came */
                                    status_code: number | null;
                                }[];
                                /** @description Attempts since the delivery was created or last redelivered */
                                attempts: number;
                                /** Format: date-time */
                                created_at: string;
                                /** @enum {string} */
                                event: "case.reported" | "report.amended" | "case.rejected" | "case.images_requested" | "case.image_unreadable";
                                /** Format: date-time */
                                finished_at: string | null;
                                id: number;
                                last_error: string | null;
                                /** Format: date-time */
                                next_attempt_at: string | null;
                                /** @description The form body sent: status, caso, derivation, event, report_version, occurred_at */
                                payload: string;
                                /** @enum {string} */
                                state: "pending" | "delivered" | "failed";
                                url: string;
                                /** @description Standard Webhooks `webhook-id`, the same on every attempt and redelivery */
                                webhook_id: string;
                            }[];
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description Failure envelope */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/cases/{id}/callbacks/{deliveryId}/redeliver": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a callback again now (extension)
         * @description Whatever its state; the retry schedule starts over and the webhook-id stays the same.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    deliveryId: string;
                    id: string;
                };
                cookie?: never;
            };
            /** @description No fields: send no body, or {} */
            requestBody: {
                content: {
                    "application/json": Record<string, never> | null;
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            content: boolean;
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description Failure envelope */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/cases/{id}/images": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add images to a pending case */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /**
                     * @description Case id (an integer)
                     * @example 42
                     */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "multipart/form-data": {
                        /** @description Legacy: the token as a form field */
                        access_token?: string;
                        /** @description Which eye each file shows, in file order (e.g. `od,os`) */
                        image_eyes?: string;
                        /** @description Images, as `images[]` or `images` */
                        "images[]": string[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description The case id */
                            content: number;
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description Failure envelope */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/cases/{id}/images/{imageId}/dicom": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The DICOM file an image came in (extension)
         * @description The DICOM Part 10 file an image came in (`images[].dicom` not null), byte for byte as it was sent, as `application/dicom`. It names the patient: it is served to the clinic that sent it, never to readers, who see the photograph taken from it. 404 for an image sent as JPEG, PNG or TIFF.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    imageId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The DICOM file */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/dicom": string;
                    };
                };
                /** @description Failure envelope */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/dicom": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/dicom": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/dicom": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/dicom": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/dicom": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/cases/report/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get the report of a case
         * @description The signed report as `{success: true, content: <the PDF in base64>}` (OPTretina: "output as code string in base64"), whatever the Accept header; the raw application/pdf only when Accept names application/pdf (preferred over JSON) or the query says `format=pdf`. A case not reported yet or rejected answers 409 with report_not_ready or case_rejected. Extension: each answer has an ETag (one per form); `If-None-Match` with it answers 304 without a body while the current version is the one the client has.
         */
        get: {
            parameters: {
                query?: {
                    /** @description pdf: the raw PDF; json: base64 in the envelope. Overrides Accept */
                    format?: "json" | "pdf";
                };
                header?: never;
                path: {
                    /**
                     * @description Case id (an integer)
                     * @example 42
                     */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The report */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: byte
                             * @description The PDF, base64
                             */
                            content: string;
                            /** @enum {boolean} */
                            success: true;
                        };
                        "application/pdf": string;
                    };
                };
                /** @description Not modified: the If-None-Match entity tag still holds (no body) */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Failure envelope */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                        "application/pdf": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                        "application/pdf": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                        "application/pdf": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                        "application/pdf": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                        "application/pdf": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/centers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The centers this API client may work for */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            content: {
                                /** @description New cases go to the active center; GET /cases lists it */
                                active: boolean;
                                id: number;
                                /**
                                 * @description Language of its reports: their wording, dates and numbers
                                 * @enum {string}
                                 */
                                language: "en" | "es";
                                name: string;
                                /**
                                 * @description IANA time zone its reports are dated in: its own, or the instance default (OPENRETINA_DEFAULT_TIMEZONE)
                                 * @example Europe/Madrid
                                 */
                                timezone: string;
                            }[];
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description Failure envelope */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/change-center": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Make a center the active one for this token
         * @description Form or JSON body. A center the client may not work for is a 404.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Legacy: the token as a form field (OPTretina SDK) */
                        access_token?: string;
                        /** @description Center identifier (a JSON integer, or its digits in a form) */
                        center_id: number | string;
                    };
                    "application/x-www-form-urlencoded": {
                        /** @description Legacy: the token as a form field (OPTretina SDK) */
                        access_token?: string;
                        /** @description Center identifier (a JSON integer, or its digits in a form) */
                        center_id: number | string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            content: {
                                /** @description New cases go to the active center; GET /cases lists it */
                                active: boolean;
                                id: number;
                                /**
                                 * @description Language of its reports: their wording, dates and numbers
                                 * @enum {string}
                                 */
                                language: "en" | "es";
                                name: string;
                                /**
                                 * @description IANA time zone its reports are dated in: its own, or the instance default (OPENRETINA_DEFAULT_TIMEZONE)
                                 * @example Europe/Madrid
                                 */
                                timezone: string;
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description Failure envelope */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The process is alive */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            content: "ok";
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The logged-in person (extension) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            content: {
                                /** @description Staff: the centers they work for */
                                center_ids: number[];
                                /** @description Cookie sessions only: send it as X-CSRF-Token with every POST */
                                csrf_token?: string;
                                email: string;
                                id: number;
                                /** @description Readers: printed on signed reports */
                                licence_number: string | null;
                                name: string;
                                organisation_id: number;
                                /** @enum {string} */
                                role: "admin" | "reader" | "staff";
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description Failure envelope */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/reading/cases/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A claimed case, or a reported one, anonymised, with the patient’s earlier cases (extension)
         * @description No names, history number or callback URL: age, gender, diabetes, clinical data, notes and images. Each image lists the `variants` ready to load instead of the original, e.g. `{"preview": {"width", "height", "size", "content_type"}, "thumb": {…}}` (empty while they are being made).
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /**
                     * @description Case id (an integer)
                     * @example 42
                     */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            content: {
                                case: {
                                    /** @description Age in whole years (0–120). */
                                    age: number | null;
                                    /** @description When the current report version amends an earlier one: what it replaced, whether it is more urgent, why and when; null for version 1 and before */
                                    amendment: {
                                        /**
                                         * Format: date-time
                                         * @description When the current version was signed
                                         */
                                        amended_at: string;
                                        /** @description True when the current derivation is more urgent than that one: a report the center may have acted on now asks for more */
                                        more_urgent: boolean;
                                        /**
                                         * @description The derivation of the version the current one replaced
                                         * @enum {string}
                                         */
                                        previous_derivation: "normal" | "routine" | "preferential" | "urgent";
                                        /** @description The reader's reason for the amendment */
                                        reason: string;
                                    } | null;
                                    center_id: number;
                                    /** Format: date-time */
                                    created_at: string;
                                    /** Format: date-time */
                                    deadline: string;
                                    /**
                                     * @description Referral urgency, once reported
                                     * @enum {string|null}
                                     */
                                    derivation: "normal" | "routine" | "preferential" | "urgent" | null;
                                    /** @description 0 no, 1 yes. */
                                    diabetes: (0 | 1) | null;
                                    /** @description Structured findings of the current report version, once reported */
                                    findings: {
                                        /** @description Why glaucoma is not suspected in an eye whose vertical cup-to-disc ratio suggests it (0.7 or more, or 0.2 more than the other eye); null when no eye is */
                                        glaucoma_override_reason: string | null;
                                        od: {
                                            /**
                                             * @description Beckman AMD
                                             * @enum {string|null}
                                             */
                                            amd: "none" | "early" | "intermediate" | "late_atrophic" | "late_neovascular" | null;
                                            /**
                                             * @description Diabetic macular oedema by centre involvement
                                             * @enum {string|null}
                                             */
                                            dme: "absent" | "non_centre_involving" | "centre_involving" | null;
                                            /**
                                             * @description ICDR diabetic retinopathy
                                             * @enum {string|null}
                                             */
                                            dr: "none" | "mild" | "moderate" | "severe" | "proliferative" | null;
                                            glaucoma_suspect: boolean;
                                            /**
                                             * @description Wong–Mitchell hypertensive retinopathy
                                             * @enum {string|null}
                                             */
                                            hypertensive: "none" | "mild" | "moderate" | "malignant" | null;
                                            other_findings: ("retinal_detachment" | "papilloedema" | "retinal_vein_occlusion" | "retinal_artery_occlusion" | "epiretinal_membrane" | "macular_hole" | "choroidal_naevus" | "myopic_maculopathy" | "cataract_media_opacity" | "other")[];
                                            other_text: string | null;
                                            /** @enum {string} */
                                            quality: "good" | "acceptable" | "ungradable";
                                            vertical_cdr: number | null;
                                        };
                                        os: {
                                            /**
                                             * @description Beckman AMD
                                             * @enum {string|null}
                                             */
                                            amd: "none" | "early" | "intermediate" | "late_atrophic" | "late_neovascular" | null;
                                            /**
                                             * @description Diabetic macular oedema by centre involvement
                                             * @enum {string|null}
                                             */
                                            dme: "absent" | "non_centre_involving" | "centre_involving" | null;
                                            /**
                                             * @description ICDR diabetic retinopathy
                                             * @enum {string|null}
                                             */
                                            dr: "none" | "mild" | "moderate" | "severe" | "proliferative" | null;
                                            glaucoma_suspect: boolean;
                                            /**
                                             * @description Wong–Mitchell hypertensive retinopathy
                                             * @enum {string|null}
                                             */
                                            hypertensive: "none" | "mild" | "moderate" | "malignant" | null;
                                            other_findings: ("retinal_detachment" | "papilloedema" | "retinal_vein_occlusion" | "retinal_artery_occlusion" | "epiretinal_membrane" | "macular_hole" | "choroidal_naevus" | "myopic_maculopathy" | "cataract_media_opacity" | "other")[];
                                            other_text: string | null;
                                            /** @enum {string} */
                                            quality: "good" | "acceptable" | "ungradable";
                                            vertical_cdr: number | null;
                                        };
                                        recommendation: string;
                                        rescreen_months: number | null;
                                    } | null;
                                    /** @description 0 male, 1 female. */
                                    gender: (0 | 1) | null;
                                    id: number;
                                    images: {
                                        /** @description The automatic checks once the image is decoded; null while checking, when unreadable, and for images stored before checks existed */
                                        checks: {
                                            /** @description A fundus photograph: a round field of view on a dark surround, in the colours of a retina (or grey: red-free) */
                                            fundus: {
                                                reason: string;
                                                /** @description A score: how round the lit field is, scaled down by each other criterion that fails (its surround's darkness, its colour) */
                                                value: number;
                                                /** @enum {string} */
                                                verdict: "fundus" | "not_fundus";
                                            };
                                            /** @description Which eye, from where the optic disc lies in a macula-centred photograph */
                                            laterality: {
                                                confidence: number;
                                                reason: string;
                                                /**
                                                 * @description The eye the optic disc says (on the image’s right: od), null when not sure
                                                 * @enum {string|null}
                                                 */
                                                value: "od" | "os" | null;
                                                /**
                                                 * @description detected: nobody had said, so the check filled in `eye` (eye_source detected); agrees / disagrees: with the image's eye as it stands (a disagreement is flagged to the reader); uncertain: no optic disc clearly on one side
                                                 * @enum {string}
                                                 */
                                                verdict: "detected" | "agrees" | "disagrees" | "uncertain";
                                            };
                                            /** @description Gradability */
                                            quality: {
                                                measures: {
                                                    /** @description Share of the round field of view inside the picture (0–1) */
                                                    coverage: {
                                                        reason: string;
                                                        /** @description Share of the round field of view inside the picture (0–1) */
                                                        value: number;
                                                        /** @enum {string} */
                                                        verdict: "good" | "usable" | "reject";
                                                    };
                                                    /** @description Share of the field burnt out (0–1) */
                                                    overexposed: {
                                                        reason: string;
                                                        /** @description Share of the field burnt out (0–1) */
                                                        value: number;
                                                        /** @enum {string} */
                                                        verdict: "good" | "usable" | "reject";
                                                    };
                                                    /** @description The field's diameter in the original's pixels */
                                                    resolution: {
                                                        reason: string;
                                                        /** @description The field's diameter in the original's pixels */
                                                        value: number;
                                                        /** @enum {string} */
                                                        verdict: "good" | "usable" | "reject";
                                                    };
                                                    /** @description Fine detail inside the field: high-frequency energy, per cent of its brightness, discounted for defocus */
                                                    sharpness: {
                                                        reason: string;
                                                        /** @description Fine detail inside the field: high-frequency energy, per cent of its brightness, discounted for defocus */
                                                        value: number;
                                                        /** @enum {string} */
                                                        verdict: "good" | "usable" | "reject";
                                                    };
                                                    /** @description Share of the field too dark to show detail (0–1) */
                                                    underexposed: {
                                                        reason: string;
                                                        /** @description Share of the field too dark to show detail (0–1) */
                                                        value: number;
                                                        /** @enum {string} */
                                                        verdict: "good" | "usable" | "reject";
                                                    };
                                                };
                                                /** @description What limits it, in words */
                                                reason: string;
                                                /** @description A score: 1 when every measure is good, 0.5 at the edge of usable, lower towards reject */
                                                value: number;
                                                /**
                                                 * @description The worst verdict of the measures: good, usable (gradable with some loss) or reject (take it again)
                                                 * @enum {string}
                                                 */
                                                verdict: "good" | "usable" | "reject";
                                            };
                                        } | null;
                                        content_type: string;
                                        /** Format: date-time */
                                        created_at: string;
                                        /** @description Extension: the image came as a DICOM file. The photograph was taken from it (JPEG frames as they were, uncompressed pixels as PNG) and is what `content_type`, `size` and the previews describe; the file itself is kept as it came, for the clinic that sent it: GET /cases/{id}/images/{image_id}/dicom. Null for images sent as JPEG, PNG or TIFF. */
                                        dicom: {
                                            /** @description Bytes of the DICOM file as it came */
                                            size: number;
                                            /** @enum {string} */
                                            sop_class: "ophthalmic_photography" | "secondary_capture";
                                        } | null;
                                        /**
                                         * @description Which eye the photograph shows: od (right) or os (left); null while nobody has said
                                         * @enum {string|null}
                                         */
                                        eye: "od" | "os" | null;
                                        /**
                                         * @description Who said which eye: client (images[od]/images[os] or image_eyes), dicom (ImageLaterality of the DICOM file it came in), file_name (guessed from it), reader (set or corrected while reading), detected (the automatic check, where nobody had said)
                                         * @enum {string|null}
                                         */
                                        eye_source: "client" | "file_name" | "reader" | "dicom" | "detected" | null;
                                        /** @description The client's file name, for display */
                                        file_name: string;
                                        height: number;
                                        id: number;
                                        /** @description Hex SHA-256 of the stored file. Null for a few seconds after the upload: the image worker hashes the stored file with the previews. Known at once when the case was created with an Idempotency-Key. */
                                        sha256: string | null;
                                        /** @description Bytes */
                                        size: number;
                                        /**
                                         * @description checking: not decoded yet (about a second after the upload); ok: decoded, see checks; unreadable: it cannot be decoded (status_reason says why; the clinic gets a case.image_unreadable callback, and readers never see it): send it again
                                         * @enum {string}
                                         */
                                        status: "checking" | "ok" | "unreadable";
                                        /** @description Why the image is unreadable; null otherwise */
                                        status_reason: string | null;
                                        /** @description Reduced variants ready to load instead of the original; empty while they are being made */
                                        variants: {
                                            preview?: {
                                                content_type: string;
                                                height: number;
                                                /** @description Bytes */
                                                size: number;
                                                width: number;
                                            };
                                            thumb?: {
                                                content_type: string;
                                                height: number;
                                                /** @description Bytes */
                                                size: number;
                                                width: number;
                                            };
                                        };
                                        width: number;
                                    }[];
                                    /** @description Near addition of the right eye in dioptres (0 to +5). */
                                    od_add: number | null;
                                    /** @description Cylinder axis of the right eye in degrees (0–180). */
                                    od_axis: number | null;
                                    /** @description Cylinder of the right eye in dioptres (−15 to +15). */
                                    od_cylinder: number | null;
                                    /** @description Intraocular pressure of the right eye in mmHg (0–80; normal is about 10–21, acute angle closure reaches 60–70). */
                                    od_iop: number | null;
                                    /** @description Prism of the right eye in prism dioptres (0–30). */
                                    od_prism: number | null;
                                    /** @description Prism base of the right eye: 0 down, 1 up. */
                                    od_prism_base: (0 | 1) | null;
                                    /** @description Sphere of the right eye in dioptres (−30 to +30). */
                                    od_sphere: number | null;
                                    /** @description Visual acuity of the right eye as a decimal (0–2.0, 1.0 = 20/20). A Snellen fraction such as 20/40 or 6/12 is converted. */
                                    od_va: number | null;
                                    /** @description Ophthalmic history. */
                                    ophthalmic_antecedents: string | null;
                                    /** @description Near addition of the left eye in dioptres (0 to +5). */
                                    os_add: number | null;
                                    /** @description Cylinder axis of the left eye in degrees (0–180). */
                                    os_axis: number | null;
                                    /** @description Cylinder of the left eye in dioptres (−15 to +15). */
                                    os_cylinder: number | null;
                                    /** @description Intraocular pressure of the left eye in mmHg (0–80; normal is about 10–21, acute angle closure reaches 60–70). */
                                    os_iop: number | null;
                                    /** @description Prism of the left eye in prism dioptres (0–30). */
                                    os_prism: number | null;
                                    /** @description Prism base of the left eye: 0 down, 1 up. */
                                    os_prism_base: (0 | 1) | null;
                                    /** @description Sphere of the left eye in dioptres (−30 to +30). */
                                    os_sphere: number | null;
                                    /** @description Visual acuity of the left eye as a decimal (0–2.0, 1.0 = 20/20). A Snellen fraction such as 20/40 or 6/12 is converted. */
                                    os_va: number | null;
                                    /** @description Other relevant clinical information. */
                                    other_relevant_info: string | null;
                                    overdue: boolean;
                                    /** @description Why the case was rejected, once rejected: what the clinic must do next follows from the reason */
                                    rejection: {
                                        /**
                                         * @description image_quality: the photographs cannot be graded; wrong_or_missing_images: an eye is missing or the photographs are not fundus photographs; missing_clinical_data: data the reader needs is missing; other: see text
                                         * @enum {string}
                                         */
                                        reason: "image_quality" | "wrong_or_missing_images" | "missing_clinical_data" | "other";
                                        /** Format: date-time */
                                        rejected_at: string;
                                        /** @description The reader's own words */
                                        text: string | null;
                                    } | null;
                                    /** @description Version of the signed report; amendments add one */
                                    report_version: number | null;
                                    reported_at: string | null;
                                    /** @description A reader’s open request for new photographs (or missing data): send them with POST /cases/{id}/images and the case returns to the worklist */
                                    requested: {
                                        /**
                                         * @description The same reasons as a rejection
                                         * @enum {string}
                                         */
                                        reason: "image_quality" | "wrong_or_missing_images" | "missing_clinical_data" | "other";
                                        /** Format: date-time */
                                        requested_at: string;
                                        /** @description The reader's own words */
                                        text: string | null;
                                    } | null;
                                    /** @description Notes for the reading retina specialist. */
                                    retinologist_notes: string | null;
                                    /** @enum {string} */
                                    status: "pending" | "reported" | "rejected";
                                    /** Format: date-time */
                                    updated_at: string;
                                    /**
                                     * Format: date
                                     * @description Date of the visit, YYYY-MM-DD (a full ISO 8601 or "YYYY-MM-DD HH:MM:SS" timestamp is cut to its date). Not before 1900, not after tomorrow. Defaults to the day the case is received.
                                     */
                                    visit_date: string;
                                    /** @description Why the patient came. */
                                    visit_reason: string | null;
                                    /**
                                     * @description Pending cases: images (none yet, none that can be read — every one `unreadable` —, or a reader asked for new ones: the clinic must act; such a case is not on the readers’ worklist) or reader; null once reported or rejected
                                     * @enum {string|null}
                                     */
                                    waiting_for: "images" | "reader" | null;
                                };
                                /** @description The center the case comes from: its report is written in its language (offer that language’s standard wording) and dated in its time zone */
                                center: {
                                    id: number;
                                    /**
                                     * @description Language of its reports: their wording, dates and numbers
                                     * @enum {string}
                                     */
                                    language: "en" | "es";
                                    name: string;
                                    /**
                                     * @description IANA time zone its reports are dated in: its own, or the instance default (OPENRETINA_DEFAULT_TIMEZONE)
                                     * @example Europe/Madrid
                                     */
                                    timezone: string;
                                };
                                /**
                                 * Format: date-time
                                 * @description The reader's claim on a pending case; null for a reported case
                                 */
                                claim_expires_at: string | null;
                                /** @description Other readers who opened this case, from the audit trail, latest first */
                                opened_by: {
                                    name: string;
                                    /**
                                     * Format: date-time
                                     * @description The last time they opened it
                                     */
                                    opened_at: string;
                                }[];
                                /** @description Earlier cases of the same patient at the same center, newest first */
                                previous_cases: {
                                    /** @description Age in whole years (0–120). */
                                    age: number | null;
                                    /** @description When the current report version amends an earlier one: what it replaced, whether it is more urgent, why and when; null for version 1 and before */
                                    amendment: {
                                        /**
                                         * Format: date-time
                                         * @description When the current version was signed
                                         */
                                        amended_at: string;
                                        /** @description True when the current derivation is more urgent than that one: a report the center may have acted on now asks for more */
                                        more_urgent: boolean;
                                        /**
                                         * @description The derivation of the version the current one replaced
                                         * @enum {string}
                                         */
                                        previous_derivation: "normal" | "routine" | "preferential" | "urgent";
                                        /** @description The reader's reason for the amendment */
                                        reason: string;
                                    } | null;
                                    center_id: number;
                                    /** Format: date-time */
                                    created_at: string;
                                    /**
                                     * @description Referral urgency, once reported
                                     * @enum {string|null}
                                     */
                                    derivation: "normal" | "routine" | "preferential" | "urgent" | null;
                                    /** @description 0 no, 1 yes. */
                                    diabetes: (0 | 1) | null;
                                    /** @description Structured findings of the current report version, once reported */
                                    findings: {
                                        /** @description Why glaucoma is not suspected in an eye whose vertical cup-to-disc ratio suggests it (0.7 or more, or 0.2 more than the other eye); null when no eye is */
                                        glaucoma_override_reason: string | null;
                                        od: {
                                            /**
                                             * @description Beckman AMD
                                             * @enum {string|null}
                                             */
                                            amd: "none" | "early" | "intermediate" | "late_atrophic" | "late_neovascular" | null;
                                            /**
                                             * @description Diabetic macular oedema by centre involvement
                                             * @enum {string|null}
                                             */
                                            dme: "absent" | "non_centre_involving" | "centre_involving" | null;
                                            /**
                                             * @description ICDR diabetic retinopathy
                                             * @enum {string|null}
                                             */
                                            dr: "none" | "mild" | "moderate" | "severe" | "proliferative" | null;
                                            glaucoma_suspect: boolean;
                                            /**
                                             * @description Wong–Mitchell hypertensive retinopathy
                                             * @enum {string|null}
                                             */
                                            hypertensive: "none" | "mild" | "moderate" | "malignant" | null;
                                            other_findings: ("retinal_detachment" | "papilloedema" | "retinal_vein_occlusion" | "retinal_artery_occlusion" | "epiretinal_membrane" | "macular_hole" | "choroidal_naevus" | "myopic_maculopathy" | "cataract_media_opacity" | "other")[];
                                            other_text: string | null;
                                            /** @enum {string} */
                                            quality: "good" | "acceptable" | "ungradable";
                                            vertical_cdr: number | null;
                                        };
                                        os: {
                                            /**
                                             * @description Beckman AMD
                                             * @enum {string|null}
                                             */
                                            amd: "none" | "early" | "intermediate" | "late_atrophic" | "late_neovascular" | null;
                                            /**
                                             * @description Diabetic macular oedema by centre involvement
                                             * @enum {string|null}
                                             */
                                            dme: "absent" | "non_centre_involving" | "centre_involving" | null;
                                            /**
                                             * @description ICDR diabetic retinopathy
                                             * @enum {string|null}
                                             */
                                            dr: "none" | "mild" | "moderate" | "severe" | "proliferative" | null;
                                            glaucoma_suspect: boolean;
                                            /**
                                             * @description Wong–Mitchell hypertensive retinopathy
                                             * @enum {string|null}
                                             */
                                            hypertensive: "none" | "mild" | "moderate" | "malignant" | null;
                                            other_findings: ("retinal_detachment" | "papilloedema" | "retinal_vein_occlusion" | "retinal_artery_occlusion" | "epiretinal_membrane" | "macular_hole" | "choroidal_naevus" | "myopic_maculopathy" | "cataract_media_opacity" | "other")[];
                                            other_text: string | null;
                                            /** @enum {string} */
                                            quality: "good" | "acceptable" | "ungradable";
                                            vertical_cdr: number | null;
                                        };
                                        recommendation: string;
                                        rescreen_months: number | null;
                                    } | null;
                                    /** @description 0 male, 1 female. */
                                    gender: (0 | 1) | null;
                                    id: number;
                                    images: {
                                        /** @description The automatic checks once the image is decoded; null while checking, when unreadable, and for images stored before checks existed */
                                        checks: {
                                            /** @description A fundus photograph: a round field of view on a dark surround, in the colours of a retina (or grey: red-free) */
                                            fundus: {
                                                reason: string;
                                                /** @description A score: how round the lit field is, scaled down by each other criterion that fails (its surround's darkness, its colour) */
                                                value: number;
                                                /** @enum {string} */
                                                verdict: "fundus" | "not_fundus";
                                            };
                                            /** @description Which eye, from where the optic disc lies in a macula-centred photograph */
                                            laterality: {
                                                confidence: number;
                                                reason: string;
                                                /**
                                                 * @description The eye the optic disc says (on the image’s right: od), null when not sure
                                                 * @enum {string|null}
                                                 */
                                                value: "od" | "os" | null;
                                                /**
                                                 * @description detected: nobody had said, so the check filled in `eye` (eye_source detected); agrees / disagrees: with the image's eye as it stands (a disagreement is flagged to the reader); uncertain: no optic disc clearly on one side
                                                 * @enum {string}
                                                 */
                                                verdict: "detected" | "agrees" | "disagrees" | "uncertain";
                                            };
                                            /** @description Gradability */
                                            quality: {
                                                measures: {
                                                    /** @description Share of the round field of view inside the picture (0–1) */
                                                    coverage: {
                                                        reason: string;
                                                        /** @description Share of the round field of view inside the picture (0–1) */
                                                        value: number;
                                                        /** @enum {string} */
                                                        verdict: "good" | "usable" | "reject";
                                                    };
                                                    /** @description Share of the field burnt out (0–1) */
                                                    overexposed: {
                                                        reason: string;
                                                        /** @description Share of the field burnt out (0–1) */
                                                        value: number;
                                                        /** @enum {string} */
                                                        verdict: "good" | "usable" | "reject";
                                                    };
                                                    /** @description The field's diameter in the original's pixels */
                                                    resolution: {
                                                        reason: string;
                                                        /** @description The field's diameter in the original's pixels */
                                                        value: number;
                                                        /** @enum {string} */
                                                        verdict: "good" | "usable" | "reject";
                                                    };
                                                    /** @description Fine detail inside the field: high-frequency energy, per cent of its brightness, discounted for defocus */
                                                    sharpness: {
                                                        reason: string;
                                                        /** @description Fine detail inside the field: high-frequency energy, per cent of its brightness, discounted for defocus */
                                                        value: number;
                                                        /** @enum {string} */
                                                        verdict: "good" | "usable" | "reject";
                                                    };
                                                    /** @description Share of the field too dark to show detail (0–1) */
                                                    underexposed: {
                                                        reason: string;
                                                        /** @description Share of the field too dark to show detail (0–1) */
                                                        value: number;
                                                        /** @enum {string} */
                                                        verdict: "good" | "usable" | "reject";
                                                    };
                                                };
                                                /** @description What limits it, in words */
                                                reason: string;
                                                /** @description A score: 1 when every measure is good, 0.5 at the edge of usable, lower towards reject */
                                                value: number;
                                                /**
                                                 * @description The worst verdict of the measures: good, usable (gradable with some loss) or reject (take it again)
                                                 * @enum {string}
                                                 */
                                                verdict: "good" | "usable" | "reject";
                                            };
                                        } | null;
                                        content_type: string;
                                        /** Format: date-time */
                                        created_at: string;
                                        /** @description Extension: the image came as a DICOM file. The photograph was taken from it (JPEG frames as they were, uncompressed pixels as PNG) and is what `content_type`, `size` and the previews describe; the file itself is kept as it came, for the clinic that sent it: GET /cases/{id}/images/{image_id}/dicom. Null for images sent as JPEG, PNG or TIFF. */
                                        dicom: {
                                            /** @description Bytes of the DICOM file as it came */
                                            size: number;
                                            /** @enum {string} */
                                            sop_class: "ophthalmic_photography" | "secondary_capture";
                                        } | null;
                                        /**
                                         * @description Which eye the photograph shows: od (right) or os (left); null while nobody has said
                                         * @enum {string|null}
                                         */
                                        eye: "od" | "os" | null;
                                        /**
                                         * @description Who said which eye: client (images[od]/images[os] or image_eyes), dicom (ImageLaterality of the DICOM file it came in), file_name (guessed from it), reader (set or corrected while reading), detected (the automatic check, where nobody had said)
                                         * @enum {string|null}
                                         */
                                        eye_source: "client" | "file_name" | "reader" | "dicom" | "detected" | null;
                                        /** @description The client's file name, for display */
                                        file_name: string;
                                        height: number;
                                        id: number;
                                        /** @description Hex SHA-256 of the stored file. Null for a few seconds after the upload: the image worker hashes the stored file with the previews. Known at once when the case was created with an Idempotency-Key. */
                                        sha256: string | null;
                                        /** @description Bytes */
                                        size: number;
                                        /**
                                         * @description checking: not decoded yet (about a second after the upload); ok: decoded, see checks; unreadable: it cannot be decoded (status_reason says why; the clinic gets a case.image_unreadable callback, and readers never see it): send it again
                                         * @enum {string}
                                         */
                                        status: "checking" | "ok" | "unreadable";
                                        /** @description Why the image is unreadable; null otherwise */
                                        status_reason: string | null;
                                        /** @description Reduced variants ready to load instead of the original; empty while they are being made */
                                        variants: {
                                            preview?: {
                                                content_type: string;
                                                height: number;
                                                /** @description Bytes */
                                                size: number;
                                                width: number;
                                            };
                                            thumb?: {
                                                content_type: string;
                                                height: number;
                                                /** @description Bytes */
                                                size: number;
                                                width: number;
                                            };
                                        };
                                        width: number;
                                    }[];
                                    /** @description Near addition of the right eye in dioptres (0 to +5). */
                                    od_add: number | null;
                                    /** @description Cylinder axis of the right eye in degrees (0–180). */
                                    od_axis: number | null;
                                    /** @description Cylinder of the right eye in dioptres (−15 to +15). */
                                    od_cylinder: number | null;
                                    /** @description Intraocular pressure of the right eye in mmHg (0–80; normal is about 10–21, acute angle closure reaches 60–70). */
                                    od_iop: number | null;
                                    /** @description Prism of the right eye in prism dioptres (0–30). */
                                    od_prism: number | null;
                                    /** @description Prism base of the right eye: 0 down, 1 up. */
                                    od_prism_base: (0 | 1) | null;
                                    /** @description Sphere of the right eye in dioptres (−30 to +30). */
                                    od_sphere: number | null;
                                    /** @description Visual acuity of the right eye as a decimal (0–2.0, 1.0 = 20/20). A Snellen fraction such as 20/40 or 6/12 is converted. */
                                    od_va: number | null;
                                    /** @description Ophthalmic history. */
                                    ophthalmic_antecedents: string | null;
                                    /** @description Near addition of the left eye in dioptres (0 to +5). */
                                    os_add: number | null;
                                    /** @description Cylinder axis of the left eye in degrees (0–180). */
                                    os_axis: number | null;
                                    /** @description Cylinder of the left eye in dioptres (−15 to +15). */
                                    os_cylinder: number | null;
                                    /** @description Intraocular pressure of the left eye in mmHg (0–80; normal is about 10–21, acute angle closure reaches 60–70). */
                                    os_iop: number | null;
                                    /** @description Prism of the left eye in prism dioptres (0–30). */
                                    os_prism: number | null;
                                    /** @description Prism base of the left eye: 0 down, 1 up. */
                                    os_prism_base: (0 | 1) | null;
                                    /** @description Sphere of the left eye in dioptres (−30 to +30). */
                                    os_sphere: number | null;
                                    /** @description Visual acuity of the left eye as a decimal (0–2.0, 1.0 = 20/20). A Snellen fraction such as 20/40 or 6/12 is converted. */
                                    os_va: number | null;
                                    /** @description Other relevant clinical information. */
                                    other_relevant_info: string | null;
                                    /** @description Why the case was rejected, once rejected: what the clinic must do next follows from the reason */
                                    rejection: {
                                        /**
                                         * @description image_quality: the photographs cannot be graded; wrong_or_missing_images: an eye is missing or the photographs are not fundus photographs; missing_clinical_data: data the reader needs is missing; other: see text
                                         * @enum {string}
                                         */
                                        reason: "image_quality" | "wrong_or_missing_images" | "missing_clinical_data" | "other";
                                        /** Format: date-time */
                                        rejected_at: string;
                                        /** @description The reader's own words */
                                        text: string | null;
                                    } | null;
                                    /** @description Version of the signed report; amendments add one */
                                    report_version: number | null;
                                    reported_at: string | null;
                                    /** @description A reader’s open request for new photographs (or missing data): send them with POST /cases/{id}/images and the case returns to the worklist */
                                    requested: {
                                        /**
                                         * @description The same reasons as a rejection
                                         * @enum {string}
                                         */
                                        reason: "image_quality" | "wrong_or_missing_images" | "missing_clinical_data" | "other";
                                        /** Format: date-time */
                                        requested_at: string;
                                        /** @description The reader's own words */
                                        text: string | null;
                                    } | null;
                                    /** @description Notes for the reading retina specialist. */
                                    retinologist_notes: string | null;
                                    /** @enum {string} */
                                    status: "pending" | "reported" | "rejected";
                                    /** Format: date-time */
                                    updated_at: string;
                                    /**
                                     * Format: date
                                     * @description Date of the visit, YYYY-MM-DD (a full ISO 8601 or "YYYY-MM-DD HH:MM:SS" timestamp is cut to its date). Not before 1900, not after tomorrow. Defaults to the day the case is received.
                                     */
                                    visit_date: string;
                                    /** @description Why the patient came. */
                                    visit_reason: string | null;
                                    /**
                                     * @description Pending cases: images (none yet, none that can be read — every one `unreadable` —, or a reader asked for new ones: the clinic must act; such a case is not on the readers’ worklist) or reader; null once reported or rejected
                                     * @enum {string|null}
                                     */
                                    waiting_for: "images" | "reader" | null;
                                }[];
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description Failure envelope */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/reading/cases/{id}/amend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Amend a signed report: a new version (extension)
         * @description JSON: `od` and `os` each {quality, dr, dme, amd (required for a gradable eye), vertical_cdr 0–1, glaucoma_suspect, hypertensive, other_findings[], other_text (required with "other")}; `recommendation` (plain words), `rescreen_months`, optional `derivation` with `override_reason` when it differs from the suggestion. Plus `amend_reason`.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /**
                     * @description Case id (an integer)
                     * @example 42
                     */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Why the report changes */
                        amend_reason: string;
                        /** @description When the derivation changes, the recommendation and rescreen interval must be restated: if both are those of the previous version the amendment is refused (422 recommendation_unchanged) unless this is true (the reader confirms they still hold) */
                        confirm_unchanged?: boolean;
                        /**
                         * @description The referral signed; by default the one the grades suggest
                         * @enum {string|null}
                         */
                        derivation?: "normal" | "routine" | "preferential" | "urgent" | null;
                        /** @description Required when an eye is graded glaucoma_suspect false although its vertical CDR is 0.7 or more, or 0.2 or more above the other eye’s: why glaucoma is not suspected */
                        glaucoma_override_reason?: string | null;
                        od: {
                            /** @enum {string|null} */
                            amd?: "none" | "early" | "intermediate" | "late_atrophic" | "late_neovascular" | null;
                            /** @enum {string|null} */
                            dme?: "absent" | "non_centre_involving" | "centre_involving" | null;
                            /** @enum {string|null} */
                            dr?: "none" | "mild" | "moderate" | "severe" | "proliferative" | null;
                            /** @description Omitted: what the cup-to-disc rule suggests (vertical CDR ≥ 0.7, or ≥ 0.2 more than the other eye). false where the rule suggests it needs glaucoma_override_reason */
                            glaucoma_suspect?: boolean;
                            /** @enum {string|null} */
                            hypertensive?: "none" | "mild" | "moderate" | "malignant" | null;
                            other_findings?: ("retinal_detachment" | "papilloedema" | "retinal_vein_occlusion" | "retinal_artery_occlusion" | "epiretinal_membrane" | "macular_hole" | "choroidal_naevus" | "myopic_maculopathy" | "cataract_media_opacity" | "other")[];
                            other_text?: string | null;
                            /** @enum {string} */
                            quality: "good" | "acceptable" | "ungradable";
                            vertical_cdr?: number | null;
                        } & (unknown & unknown);
                        os: {
                            /** @enum {string|null} */
                            amd?: "none" | "early" | "intermediate" | "late_atrophic" | "late_neovascular" | null;
                            /** @enum {string|null} */
                            dme?: "absent" | "non_centre_involving" | "centre_involving" | null;
                            /** @enum {string|null} */
                            dr?: "none" | "mild" | "moderate" | "severe" | "proliferative" | null;
                            /** @description Omitted: what the cup-to-disc rule suggests (vertical CDR ≥ 0.7, or ≥ 0.2 more than the other eye). false where the rule suggests it needs glaucoma_override_reason */
                            glaucoma_suspect?: boolean;
                            /** @enum {string|null} */
                            hypertensive?: "none" | "mild" | "moderate" | "malignant" | null;
                            other_findings?: ("retinal_detachment" | "papilloedema" | "retinal_vein_occlusion" | "retinal_artery_occlusion" | "epiretinal_membrane" | "macular_hole" | "choroidal_naevus" | "myopic_maculopathy" | "cataract_media_opacity" | "other")[];
                            other_text?: string | null;
                            /** @enum {string} */
                            quality: "good" | "acceptable" | "ungradable";
                            vertical_cdr?: number | null;
                        } & (unknown & unknown);
                        /** @description Required when derivation differs from the suggestion */
                        override_reason?: string | null;
                        /** @description Plain words for the patient */
                        recommendation: string;
                        rescreen_months?: number | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            content: {
                                case_id: number;
                                /** @enum {string} */
                                derivation: "normal" | "routine" | "preferential" | "urgent";
                                /**
                                 * @description What the grades imply (worse eye wins)
                                 * @enum {string}
                                 */
                                suggested_derivation: "normal" | "routine" | "preferential" | "urgent";
                                version: number;
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description Failure envelope */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/reading/cases/{id}/claim": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Claim a case exclusively, or renew the claim (extension)
         * @description Refused with 409 `case_claimed` while another reader holds the case; the message names them and says until when, in the time zone of the `X-Time-Zone` header (an IANA name such as Europe/Madrid; UTC without it).
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description IANA time zone for the times in messages */
                    "x-time-zone"?: string;
                };
                path: {
                    /**
                     * @description Case id (an integer)
                     * @example 42
                     */
                    id: string;
                };
                cookie?: never;
            };
            /** @description No fields: send no body, or {} */
            requestBody: {
                content: {
                    "application/json": Record<string, never> | null;
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            content: {
                                case_id: number;
                                /** Format: date-time */
                                expires_at: string;
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description Failure envelope */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/reading/cases/{id}/eyes/swap": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Swap right and left on every image of the case (extension)
         * @description For a pair uploaded the wrong way round. Images whose eye is not known stay so.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /**
                     * @description Case id (an integer)
                     * @example 42
                     */
                    id: string;
                };
                cookie?: never;
            };
            /** @description No fields: send no body, or {} */
            requestBody: {
                content: {
                    "application/json": Record<string, never> | null;
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            content: {
                                /** @enum {string|null} */
                                eye: "od" | "os" | null;
                                /** @enum {string|null} */
                                eye_source: "client" | "file_name" | "reader" | "dicom" | "detected" | null;
                                image_id: number;
                            }[];
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description Failure envelope */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/reading/cases/{id}/images/{imageId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An image of a claimed case: a reduced variant or the original bytes (extension)
         * @description `variant=preview` (long side 2048 px) or `thumb` (384 px): a JPEG made once in the background after upload; until it is ready (see `variants` of the image in the reading view) the original is sent instead, with `Cache-Control: no-cache` so the next request gets the variant. `X-Image-Variant` says what was sent. Stored bytes never change: they carry a strong ETag (their SHA-256) and may be cached privately.
         */
        get: {
            parameters: {
                query?: {
                    /** @description original (default), preview or thumb */
                    variant?: "original" | "preview" | "thumb";
                };
                header?: never;
                path: {
                    id: string;
                    imageId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The image */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/octet-stream": string;
                    };
                };
                /** @description Not modified: the If-None-Match entity tag still holds */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Failure envelope */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "image/jpeg": components["schemas"]["ErrorEnvelope"];
                        "image/png": components["schemas"]["ErrorEnvelope"];
                        "image/tiff": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "image/jpeg": components["schemas"]["ErrorEnvelope"];
                        "image/png": components["schemas"]["ErrorEnvelope"];
                        "image/tiff": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "image/jpeg": components["schemas"]["ErrorEnvelope"];
                        "image/png": components["schemas"]["ErrorEnvelope"];
                        "image/tiff": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "image/jpeg": components["schemas"]["ErrorEnvelope"];
                        "image/png": components["schemas"]["ErrorEnvelope"];
                        "image/tiff": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "image/jpeg": components["schemas"]["ErrorEnvelope"];
                        "image/png": components["schemas"]["ErrorEnvelope"];
                        "image/tiff": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "image/jpeg": components["schemas"]["ErrorEnvelope"];
                        "image/png": components["schemas"]["ErrorEnvelope"];
                        "image/tiff": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/reading/cases/{id}/images/{imageId}/eye": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Say which eye an image shows (extension)
         * @description For a case the reader holds, or a signed one: `eye` od, os, or null (not known). Recorded as the reader’s, with who and when.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    imageId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * @description od (right), os (left) or null
                         * @enum {string|null}
                         */
                        eye: "od" | "os" | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            content: {
                                /** @enum {string|null} */
                                eye: "od" | "os" | null;
                                /** @enum {string|null} */
                                eye_source: "client" | "file_name" | "reader" | "dicom" | "detected" | null;
                                image_id: number;
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description Failure envelope */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/reading/cases/{id}/reject": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reject a claimed case with a reason (extension)
         * @description JSON: `reason` image_quality | wrong_or_missing_images | missing_clinical_data | other, and `text` (required for other).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /**
                     * @description Case id (an integer)
                     * @example 42
                     */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        reason: "image_quality" | "wrong_or_missing_images" | "missing_clinical_data" | "other";
                        /** @description Required for reason "other" */
                        text?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            content: boolean;
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description Failure envelope */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/reading/cases/{id}/release": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Give a claimed case back to the worklist (extension) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /**
                     * @description Case id (an integer)
                     * @example 42
                     */
                    id: string;
                };
                cookie?: never;
            };
            /** @description No fields: send no body, or {} */
            requestBody: {
                content: {
                    "application/json": Record<string, never> | null;
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            content: boolean;
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description Failure envelope */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/reading/cases/{id}/report": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The signed report of a case, as a PDF to preview (extension)
         * @description Readers, for cases of their organisation once signed: the current version, or `version`. Shown inline (a browser previews it); base64 in JSON when the request prefers JSON. 409 report_not_ready or case_rejected.
         */
        get: {
            parameters: {
                query?: {
                    /** @description pdf: the raw PDF; json: base64 in the envelope. Overrides Accept */
                    format?: "json" | "pdf";
                    /** @description A report version; the current one by default */
                    version?: number;
                };
                header?: never;
                path: {
                    /**
                     * @description Case id (an integer)
                     * @example 42
                     */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The report */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: byte
                             * @description The PDF, base64
                             */
                            content: string;
                            /** @enum {boolean} */
                            success: true;
                        };
                        "application/pdf": string;
                    };
                };
                /** @description Not modified: the If-None-Match entity tag still holds (no body) */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Failure envelope */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                        "application/pdf": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                        "application/pdf": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                        "application/pdf": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                        "application/pdf": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                        "application/pdf": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                        "application/pdf": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/reading/cases/{id}/reports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The versions of a signed report, oldest first (extension)
         * @description Readers, for cases of their organisation once signed: who signed each version, when, its findings and derivation, and why it was amended.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /**
                     * @description Case id (an integer)
                     * @example 42
                     */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            content: {
                                /** @description Why this version replaced the previous one; null for version 1 */
                                amend_reason: string | null;
                                /** @enum {string} */
                                derivation: "normal" | "routine" | "preferential" | "urgent";
                                /** @description Why glaucoma is not suspected in an eye whose cup-to-disc ratio suggests it; null when no eye is */
                                glaucoma_override_reason: string | null;
                                od: {
                                    /**
                                     * @description Beckman AMD
                                     * @enum {string|null}
                                     */
                                    amd: "none" | "early" | "intermediate" | "late_atrophic" | "late_neovascular" | null;
                                    /**
                                     * @description Diabetic macular oedema by centre involvement
                                     * @enum {string|null}
                                     */
                                    dme: "absent" | "non_centre_involving" | "centre_involving" | null;
                                    /**
                                     * @description ICDR diabetic retinopathy
                                     * @enum {string|null}
                                     */
                                    dr: "none" | "mild" | "moderate" | "severe" | "proliferative" | null;
                                    glaucoma_suspect: boolean;
                                    /**
                                     * @description Wong–Mitchell hypertensive retinopathy
                                     * @enum {string|null}
                                     */
                                    hypertensive: "none" | "mild" | "moderate" | "malignant" | null;
                                    other_findings: ("retinal_detachment" | "papilloedema" | "retinal_vein_occlusion" | "retinal_artery_occlusion" | "epiretinal_membrane" | "macular_hole" | "choroidal_naevus" | "myopic_maculopathy" | "cataract_media_opacity" | "other")[];
                                    other_text: string | null;
                                    /** @enum {string} */
                                    quality: "good" | "acceptable" | "ungradable";
                                    vertical_cdr: number | null;
                                };
                                os: {
                                    /**
                                     * @description Beckman AMD
                                     * @enum {string|null}
                                     */
                                    amd: "none" | "early" | "intermediate" | "late_atrophic" | "late_neovascular" | null;
                                    /**
                                     * @description Diabetic macular oedema by centre involvement
                                     * @enum {string|null}
                                     */
                                    dme: "absent" | "non_centre_involving" | "centre_involving" | null;
                                    /**
                                     * @description ICDR diabetic retinopathy
                                     * @enum {string|null}
                                     */
                                    dr: "none" | "mild" | "moderate" | "severe" | "proliferative" | null;
                                    glaucoma_suspect: boolean;
                                    /**
                                     * @description Wong–Mitchell hypertensive retinopathy
                                     * @enum {string|null}
                                     */
                                    hypertensive: "none" | "mild" | "moderate" | "malignant" | null;
                                    other_findings: ("retinal_detachment" | "papilloedema" | "retinal_vein_occlusion" | "retinal_artery_occlusion" | "epiretinal_membrane" | "macular_hole" | "choroidal_naevus" | "myopic_maculopathy" | "cataract_media_opacity" | "other")[];
                                    other_text: string | null;
                                    /** @enum {string} */
                                    quality: "good" | "acceptable" | "ungradable";
                                    vertical_cdr: number | null;
                                };
                                /** @description Why the derivation differs from the suggestion */
                                override_reason: string | null;
                                pdf_url: string;
                                reader_licence: string | null;
                                reader_name: string;
                                recommendation: string;
                                rescreen_months: number | null;
                                /** Format: date-time */
                                signed_at: string;
                                /** @enum {string} */
                                suggested_derivation: "normal" | "routine" | "preferential" | "urgent";
                                version: number;
                            }[];
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description Failure envelope */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/reading/cases/{id}/request-images": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Ask the clinic for new photographs or missing data instead of rejecting (extension)
         * @description JSON: `reason` image_quality | wrong_or_missing_images | missing_clinical_data | other, and `text` (required for other). The case stays pending but leaves the worklist; the clinic is told (callback status=images_requested, and `requested` in the case object) and sends them with POST /cases/{id}/images, which puts the case back on the worklist with the earlier photographs kept.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /**
                     * @description Case id (an integer)
                     * @example 42
                     */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        reason: "image_quality" | "wrong_or_missing_images" | "missing_clinical_data" | "other";
                        /** @description Required for reason "other" */
                        text?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            content: boolean;
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description Failure envelope */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/reading/cases/{id}/sign": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign the report of a claimed case (extension)
         * @description JSON: `od` and `os` each {quality, dr, dme, amd (required for a gradable eye), vertical_cdr 0–1, glaucoma_suspect, hypertensive, other_findings[], other_text (required with "other")}; `recommendation` (plain words), `rescreen_months`, optional `derivation` with `override_reason` when it differs from the suggestion.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /**
                     * @description Case id (an integer)
                     * @example 42
                     */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * @description The referral signed; by default the one the grades suggest
                         * @enum {string|null}
                         */
                        derivation?: "normal" | "routine" | "preferential" | "urgent" | null;
                        /** @description Required when an eye is graded glaucoma_suspect false although its vertical CDR is 0.7 or more, or 0.2 or more above the other eye’s: why glaucoma is not suspected */
                        glaucoma_override_reason?: string | null;
                        od: {
                            /** @enum {string|null} */
                            amd?: "none" | "early" | "intermediate" | "late_atrophic" | "late_neovascular" | null;
                            /** @enum {string|null} */
                            dme?: "absent" | "non_centre_involving" | "centre_involving" | null;
                            /** @enum {string|null} */
                            dr?: "none" | "mild" | "moderate" | "severe" | "proliferative" | null;
                            /** @description Omitted: what the cup-to-disc rule suggests (vertical CDR ≥ 0.7, or ≥ 0.2 more than the other eye). false where the rule suggests it needs glaucoma_override_reason */
                            glaucoma_suspect?: boolean;
                            /** @enum {string|null} */
                            hypertensive?: "none" | "mild" | "moderate" | "malignant" | null;
                            other_findings?: ("retinal_detachment" | "papilloedema" | "retinal_vein_occlusion" | "retinal_artery_occlusion" | "epiretinal_membrane" | "macular_hole" | "choroidal_naevus" | "myopic_maculopathy" | "cataract_media_opacity" | "other")[];
                            other_text?: string | null;
                            /** @enum {string} */
                            quality: "good" | "acceptable" | "ungradable";
                            vertical_cdr?: number | null;
                        } & (unknown & unknown);
                        os: {
                            /** @enum {string|null} */
                            amd?: "none" | "early" | "intermediate" | "late_atrophic" | "late_neovascular" | null;
                            /** @enum {string|null} */
                            dme?: "absent" | "non_centre_involving" | "centre_involving" | null;
                            /** @enum {string|null} */
                            dr?: "none" | "mild" | "moderate" | "severe" | "proliferative" | null;
                            /** @description Omitted: what the cup-to-disc rule suggests (vertical CDR ≥ 0.7, or ≥ 0.2 more than the other eye). false where the rule suggests it needs glaucoma_override_reason */
                            glaucoma_suspect?: boolean;
                            /** @enum {string|null} */
                            hypertensive?: "none" | "mild" | "moderate" | "malignant" | null;
                            other_findings?: ("retinal_detachment" | "papilloedema" | "retinal_vein_occlusion" | "retinal_artery_occlusion" | "epiretinal_membrane" | "macular_hole" | "choroidal_naevus" | "myopic_maculopathy" | "cataract_media_opacity" | "other")[];
                            other_text?: string | null;
                            /** @enum {string} */
                            quality: "good" | "acceptable" | "ungradable";
                            vertical_cdr?: number | null;
                        } & (unknown & unknown);
                        /** @description Required when derivation differs from the suggestion */
                        override_reason?: string | null;
                        /** @description Plain words for the patient */
                        recommendation: string;
                        rescreen_months?: number | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            content: {
                                case_id: number;
                                /** @enum {string} */
                                derivation: "normal" | "routine" | "preferential" | "urgent";
                                /**
                                 * @description What the grades imply (worse eye wins)
                                 * @enum {string}
                                 */
                                suggested_derivation: "normal" | "routine" | "preferential" | "urgent";
                                version: number;
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description Failure envelope */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/reading/reported": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Recently reported cases, to review or amend (extension)
         * @description Readers: the 50 reported cases of their organisation signed or amended last, anonymised.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            content: {
                                age: number | null;
                                center_id: number;
                                /** @enum {string|null} */
                                derivation: "normal" | "routine" | "preferential" | "urgent" | null;
                                gender: number | null;
                                id: number;
                                report_version: number | null;
                                /**
                                 * Format: date-time
                                 * @description First signed
                                 */
                                reported_at: string | null;
                                /**
                                 * Format: date-time
                                 * @description Current version signed
                                 */
                                updated_at: string;
                            }[];
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description Failure envelope */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/reading/worklist": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Pending cases to read, oldest first (extension) */
        get: {
            parameters: {
                query?: {
                    /** @description next_after of the previous page */
                    after?: number;
                    /** @description Only this one of your centers */
                    center_id?: number;
                    /** @description true: only overdue cases; false: only those still in time */
                    overdue?: boolean;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            content: {
                                age: number | null;
                                center_id: number;
                                /** @description The center that sent the case */
                                center_name: string;
                                /** Format: date-time */
                                claim_expires_at: string | null;
                                /**
                                 * @description mine, other (someone else holds a live claim) or null
                                 * @enum {string|null}
                                 */
                                claimed: "mine" | "other" | null;
                                /** @description The name of the reader holding a live claim */
                                claimed_by: string | null;
                                /**
                                 * Format: date-time
                                 * @description Submission + the turnaround (48 h by default)
                                 */
                                deadline: string;
                                diabetes: number | null;
                                gender: number | null;
                                id: number;
                                image_count: number;
                                overdue: boolean;
                                /** Format: date-time */
                                submitted_at: string;
                            }[];
                            next_after: number | null;
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description Failure envelope */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The process can do its work: database and blob store reachable */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            content: {
                                /** @description "ok", or why it is not */
                                blob_store: "ok" | string;
                                /** @description "ok", or why it is not */
                                database: "ok" | string;
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description Failure envelope */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/staff/cases": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The cases of this member of staff's centers, newest first (extension) */
        get: {
            parameters: {
                query?: {
                    /** @description Only this one of your centers */
                    center_id?: number;
                    /** @description The next_cursor of the previous page */
                    cursor?: string;
                    /** @description Page size; default 50, values above 200 are clamped to 200 */
                    limit?: number;
                    /** @description Search: every word must appear in the history number or a name, or be the case id */
                    q?: string;
                    /** @description Only cases in this status */
                    status?: "pending" | "reported" | "rejected";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            content: components["schemas"]["Case"][];
                            /** @description Cursor of the next page, null on the last */
                            next_cursor: string | null;
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description Failure envelope */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Create a case in one of your centers (extension)
         * @description multipart/form-data like POST /cases (same fields, rules, images, Idempotency-Key and wait_for_checks), plus `center_id`. Every field error is reported at once in `error.fields`.
         */
        post: {
            parameters: {
                query?: {
                    /** @description Legacy: the token in the query (OPTretina SDK) */
                    access_token?: string;
                    /**
                     * @description Extension: wait up to this long (e.g. 2s, 1.5s, 2500ms; at most OPENRETINA_CHECK_MAX_WAIT_MS, 10 s) for the automatic checks of the images, and answer with them in `images` (those not checked in time still `checking`). The upload itself never waits: images are decoded by the image worker after the case is stored.
                     * @example 2s
                     */
                    wait_for_checks?: string;
                };
                header?: {
                    /** @description Client-chosen unique key for safe retries */
                    "idempotency-key"?: string;
                    /** @description Instead of the query's wait_for_checks. Extension: wait up to this long (e.g. 2s, 1.5s, 2500ms; at most OPENRETINA_CHECK_MAX_WAIT_MS, 10 s) for the automatic checks of the images, and answer with them in `images` (those not checked in time still `checking`). The upload itself never waits: images are decoded by the image worker after the case is stored. */
                    "wait-for-checks"?: string;
                };
                path?: never;
                cookie?: never;
            };
            /** @description center_id, and the intake fields and images of POST /cases, with the same rules */
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Legacy: the token as a form field (OPTretina SDK) */
                        access_token?: string;
                        /**
                         * @description Age in whole years (0–120). Decimal comma accepted.
                         * @example 0
                         */
                        age: string;
                        /**
                         * Format: uri
                         * @description http(s) URL that is told when the report is ready or the case is rejected. No user:password part.
                         */
                        callback_url?: string;
                        /** @description One of the centers the member of staff works for (GET /staff/centers) */
                        center_id: string;
                        /** @description Free text for anything without its own field (OPTretina SDK). */
                        description?: string;
                        /**
                         * @description 0 no, 1 yes.
                         * @enum {string}
                         */
                        diabetes?: "0" | "1";
                        /** @description Patient first name. Never shown to readers. */
                        first_name?: string;
                        /**
                         * @description 0 male, 1 female.
                         * @enum {string}
                         */
                        gender: "0" | "1";
                        /** @description The center's own patient identifier (clinical history number). */
                        history_number?: string;
                        /** @description Which eye each file shows, in file order: e.g. `od,os` (an empty entry: not known). Without it, `images[od]`/`images[os]` or else the file name decides */
                        image_eyes?: string;
                        /** @description Images, as `images[]` (seed), `images` (OPTretina SDK), `images[0]`…, or `images[od]` / `images[os]` to say which eye each shows; one or many */
                        "images[]"?: string[];
                        /** @description Patient last name. Never shown to readers. */
                        last_name?: string;
                        /**
                         * @description Near addition of the right eye in dioptres (0 to +5). Decimal comma accepted.
                         * @example 0
                         */
                        od_add?: string;
                        /**
                         * @description Cylinder axis of the right eye in degrees (0–180). Decimal comma accepted.
                         * @example 0
                         */
                        od_axis?: string;
                        /**
                         * @description Cylinder of the right eye in dioptres (−15 to +15). Decimal comma accepted.
                         * @example -15
                         */
                        od_cylinder?: string;
                        /**
                         * @description Intraocular pressure of the right eye in mmHg (0–80; normal is about 10–21, acute angle closure reaches 60–70). Decimal comma accepted.
                         * @example 0
                         */
                        od_iop?: string;
                        /**
                         * @description Prism of the right eye in prism dioptres (0–30). Decimal comma accepted.
                         * @example 0
                         */
                        od_prism?: string;
                        /**
                         * @description Prism base of the right eye: 0 down, 1 up.
                         * @enum {string}
                         */
                        od_prism_base?: "0" | "1";
                        /**
                         * @description Sphere of the right eye in dioptres (−30 to +30). Decimal comma accepted.
                         * @example -30
                         */
                        od_sphere?: string;
                        /**
                         * @description Visual acuity of the right eye as a decimal (0–2.0, 1.0 = 20/20). A Snellen fraction such as 20/40 or 6/12 is converted. Decimal comma accepted.
                         * @example 0
                         */
                        od_va?: string;
                        /** @description Ophthalmic history. */
                        ophthalmic_antecedents?: string;
                        /**
                         * @description Near addition of the left eye in dioptres (0 to +5). Decimal comma accepted.
                         * @example 0
                         */
                        os_add?: string;
                        /**
                         * @description Cylinder axis of the left eye in degrees (0–180). Decimal comma accepted.
                         * @example 0
                         */
                        os_axis?: string;
                        /**
                         * @description Cylinder of the left eye in dioptres (−15 to +15). Decimal comma accepted.
                         * @example -15
                         */
                        os_cylinder?: string;
                        /**
                         * @description Intraocular pressure of the left eye in mmHg (0–80; normal is about 10–21, acute angle closure reaches 60–70). Decimal comma accepted.
                         * @example 0
                         */
                        os_iop?: string;
                        /**
                         * @description Prism of the left eye in prism dioptres (0–30). Decimal comma accepted.
                         * @example 0
                         */
                        os_prism?: string;
                        /**
                         * @description Prism base of the left eye: 0 down, 1 up.
                         * @enum {string}
                         */
                        os_prism_base?: "0" | "1";
                        /**
                         * @description Sphere of the left eye in dioptres (−30 to +30). Decimal comma accepted.
                         * @example -30
                         */
                        os_sphere?: string;
                        /**
                         * @description Visual acuity of the left eye as a decimal (0–2.0, 1.0 = 20/20). A Snellen fraction such as 20/40 or 6/12 is converted. Decimal comma accepted.
                         * @example 0
                         */
                        os_va?: string;
                        /** @description Other relevant clinical information. */
                        other_relevant_info?: string;
                        /** @description Notes for the reading retina specialist. */
                        retinologist_notes?: string;
                        /**
                         * Format: date
                         * @description Date of the visit, YYYY-MM-DD (a full ISO 8601 or "YYYY-MM-DD HH:MM:SS" timestamp is cut to its date). Not before 1900, not after tomorrow. Defaults to the day the case is received.
                         */
                        visit_date?: string;
                        /** @description Why the patient came. */
                        visit_reason?: string;
                    };
                    "application/x-www-form-urlencoded": {
                        /** @description Legacy: the token as a form field (OPTretina SDK) */
                        access_token?: string;
                        /**
                         * @description Age in whole years (0–120). Decimal comma accepted.
                         * @example 0
                         */
                        age: string;
                        /**
                         * Format: uri
                         * @description http(s) URL that is told when the report is ready or the case is rejected. No user:password part.
                         */
                        callback_url?: string;
                        /** @description One of the centers the member of staff works for (GET /staff/centers) */
                        center_id: string;
                        /** @description Free text for anything without its own field (OPTretina SDK). */
                        description?: string;
                        /**
                         * @description 0 no, 1 yes.
                         * @enum {string}
                         */
                        diabetes?: "0" | "1";
                        /** @description Patient first name. Never shown to readers. */
                        first_name?: string;
                        /**
                         * @description 0 male, 1 female.
                         * @enum {string}
                         */
                        gender: "0" | "1";
                        /** @description The center's own patient identifier (clinical history number). */
                        history_number?: string;
                        /** @description Which eye each file shows, in file order: e.g. `od,os` (an empty entry: not known). Without it, `images[od]`/`images[os]` or else the file name decides */
                        image_eyes?: string;
                        /** @description Images, as `images[]` (seed), `images` (OPTretina SDK), `images[0]`…, or `images[od]` / `images[os]` to say which eye each shows; one or many */
                        "images[]"?: string[];
                        /** @description Patient last name. Never shown to readers. */
                        last_name?: string;
                        /**
                         * @description Near addition of the right eye in dioptres (0 to +5). Decimal comma accepted.
                         * @example 0
                         */
                        od_add?: string;
                        /**
                         * @description Cylinder axis of the right eye in degrees (0–180). Decimal comma accepted.
                         * @example 0
                         */
                        od_axis?: string;
                        /**
                         * @description Cylinder of the right eye in dioptres (−15 to +15). Decimal comma accepted.
                         * @example -15
                         */
                        od_cylinder?: string;
                        /**
                         * @description Intraocular pressure of the right eye in mmHg (0–80; normal is about 10–21, acute angle closure reaches 60–70). Decimal comma accepted.
                         * @example 0
                         */
                        od_iop?: string;
                        /**
                         * @description Prism of the right eye in prism dioptres (0–30). Decimal comma accepted.
                         * @example 0
                         */
                        od_prism?: string;
                        /**
                         * @description Prism base of the right eye: 0 down, 1 up.
                         * @enum {string}
                         */
                        od_prism_base?: "0" | "1";
                        /**
                         * @description Sphere of the right eye in dioptres (−30 to +30). Decimal comma accepted.
                         * @example -30
                         */
                        od_sphere?: string;
                        /**
                         * @description Visual acuity of the right eye as a decimal (0–2.0, 1.0 = 20/20). A Snellen fraction such as 20/40 or 6/12 is converted. Decimal comma accepted.
                         * @example 0
                         */
                        od_va?: string;
                        /** @description Ophthalmic history. */
                        ophthalmic_antecedents?: string;
                        /**
                         * @description Near addition of the left eye in dioptres (0 to +5). Decimal comma accepted.
                         * @example 0
                         */
                        os_add?: string;
                        /**
                         * @description Cylinder axis of the left eye in degrees (0–180). Decimal comma accepted.
                         * @example 0
                         */
                        os_axis?: string;
                        /**
                         * @description Cylinder of the left eye in dioptres (−15 to +15). Decimal comma accepted.
                         * @example -15
                         */
                        os_cylinder?: string;
                        /**
                         * @description Intraocular pressure of the left eye in mmHg (0–80; normal is about 10–21, acute angle closure reaches 60–70). Decimal comma accepted.
                         * @example 0
                         */
                        os_iop?: string;
                        /**
                         * @description Prism of the left eye in prism dioptres (0–30). Decimal comma accepted.
                         * @example 0
                         */
                        os_prism?: string;
                        /**
                         * @description Prism base of the left eye: 0 down, 1 up.
                         * @enum {string}
                         */
                        os_prism_base?: "0" | "1";
                        /**
                         * @description Sphere of the left eye in dioptres (−30 to +30). Decimal comma accepted.
                         * @example -30
                         */
                        os_sphere?: string;
                        /**
                         * @description Visual acuity of the left eye as a decimal (0–2.0, 1.0 = 20/20). A Snellen fraction such as 20/40 or 6/12 is converted. Decimal comma accepted.
                         * @example 0
                         */
                        os_va?: string;
                        /** @description Other relevant clinical information. */
                        other_relevant_info?: string;
                        /** @description Notes for the reading retina specialist. */
                        retinologist_notes?: string;
                        /**
                         * Format: date
                         * @description Date of the visit, YYYY-MM-DD (a full ISO 8601 or "YYYY-MM-DD HH:MM:SS" timestamp is cut to its date). Not before 1900, not after tomorrow. Defaults to the day the case is received.
                         */
                        visit_date?: string;
                        /** @description Why the patient came. */
                        visit_reason?: string;
                    };
                    "multipart/form-data": {
                        /** @description Legacy: the token as a form field (OPTretina SDK) */
                        access_token?: string;
                        /**
                         * @description Age in whole years (0–120). Decimal comma accepted.
                         * @example 0
                         */
                        age: string;
                        /**
                         * Format: uri
                         * @description http(s) URL that is told when the report is ready or the case is rejected. No user:password part.
                         */
                        callback_url?: string;
                        /** @description One of the centers the member of staff works for (GET /staff/centers) */
                        center_id: string;
                        /** @description Free text for anything without its own field (OPTretina SDK). */
                        description?: string;
                        /**
                         * @description 0 no, 1 yes.
                         * @enum {string}
                         */
                        diabetes?: "0" | "1";
                        /** @description Patient first name. Never shown to readers. */
                        first_name?: string;
                        /**
                         * @description 0 male, 1 female.
                         * @enum {string}
                         */
                        gender: "0" | "1";
                        /** @description The center's own patient identifier (clinical history number). */
                        history_number?: string;
                        /** @description Which eye each file shows, in file order: e.g. `od,os` (an empty entry: not known). Without it, `images[od]`/`images[os]` or else the file name decides */
                        image_eyes?: string;
                        /** @description Images, as `images[]` (seed), `images` (OPTretina SDK), `images[0]`…, or `images[od]` / `images[os]` to say which eye each shows; one or many */
                        "images[]"?: string[];
                        /** @description Patient last name. Never shown to readers. */
                        last_name?: string;
                        /**
                         * @description Near addition of the right eye in dioptres (0 to +5). Decimal comma accepted.
                         * @example 0
                         */
                        od_add?: string;
                        /**
                         * @description Cylinder axis of the right eye in degrees (0–180). Decimal comma accepted.
                         * @example 0
                         */
                        od_axis?: string;
                        /**
                         * @description Cylinder of the right eye in dioptres (−15 to +15). Decimal comma accepted.
                         * @example -15
                         */
                        od_cylinder?: string;
                        /**
                         * @description Intraocular pressure of the right eye in mmHg (0–80; normal is about 10–21, acute angle closure reaches 60–70). Decimal comma accepted.
                         * @example 0
                         */
                        od_iop?: string;
                        /**
                         * @description Prism of the right eye in prism dioptres (0–30). Decimal comma accepted.
                         * @example 0
                         */
                        od_prism?: string;
                        /**
                         * @description Prism base of the right eye: 0 down, 1 up.
                         * @enum {string}
                         */
                        od_prism_base?: "0" | "1";
                        /**
                         * @description Sphere of the right eye in dioptres (−30 to +30). Decimal comma accepted.
                         * @example -30
                         */
                        od_sphere?: string;
                        /**
                         * @description Visual acuity of the right eye as a decimal (0–2.0, 1.0 = 20/20). A Snellen fraction such as 20/40 or 6/12 is converted. Decimal comma accepted.
                         * @example 0
                         */
                        od_va?: string;
                        /** @description Ophthalmic history. */
                        ophthalmic_antecedents?: string;
                        /**
                         * @description Near addition of the left eye in dioptres (0 to +5). Decimal comma accepted.
                         * @example 0
                         */
                        os_add?: string;
                        /**
                         * @description Cylinder axis of the left eye in degrees (0–180). Decimal comma accepted.
                         * @example 0
                         */
                        os_axis?: string;
                        /**
                         * @description Cylinder of the left eye in dioptres (−15 to +15). Decimal comma accepted.
                         * @example -15
                         */
                        os_cylinder?: string;
                        /**
                         * @description Intraocular pressure of the left eye in mmHg (0–80; normal is about 10–21, acute angle closure reaches 60–70). Decimal comma accepted.
                         * @example 0
                         */
                        os_iop?: string;
                        /**
                         * @description Prism of the left eye in prism dioptres (0–30). Decimal comma accepted.
                         * @example 0
                         */
                        os_prism?: string;
                        /**
                         * @description Prism base of the left eye: 0 down, 1 up.
                         * @enum {string}
                         */
                        os_prism_base?: "0" | "1";
                        /**
                         * @description Sphere of the left eye in dioptres (−30 to +30). Decimal comma accepted.
                         * @example -30
                         */
                        os_sphere?: string;
                        /**
                         * @description Visual acuity of the left eye as a decimal (0–2.0, 1.0 = 20/20). A Snellen fraction such as 20/40 or 6/12 is converted. Decimal comma accepted.
                         * @example 0
                         */
                        os_va?: string;
                        /** @description Other relevant clinical information. */
                        other_relevant_info?: string;
                        /** @description Notes for the reading retina specialist. */
                        retinologist_notes?: string;
                        /**
                         * Format: date
                         * @description Date of the visit, YYYY-MM-DD (a full ISO 8601 or "YYYY-MM-DD HH:MM:SS" timestamp is cut to its date). Not before 1900, not after tomorrow. Defaults to the day the case is received.
                         */
                        visit_date?: string;
                        /** @description Why the patient came. */
                        visit_reason?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description The new case id */
                            content: number;
                            /** @description Extension, only with wait_for_checks: the case’s images with their status and automatic checks as they stood when the answer was sent */
                            images?: {
                                /** @description The automatic checks once the image is decoded; null while checking, when unreadable, and for images stored before checks existed */
                                checks: {
                                    /** @description A fundus photograph: a round field of view on a dark surround, in the colours of a retina (or grey: red-free) */
                                    fundus: {
                                        reason: string;
                                        /** @description A score: how round the lit field is, scaled down by each other criterion that fails (its surround's darkness, its colour) */
                                        value: number;
                                        /** @enum {string} */
                                        verdict: "fundus" | "not_fundus";
                                    };
                                    /** @description Which eye, from where the optic disc lies in a macula-centred photograph */
                                    laterality: {
                                        confidence: number;
                                        reason: string;
                                        /**
                                         * @description The eye the optic disc says (on the image’s right: od), null when not sure
                                         * @enum {string|null}
                                         */
                                        value: "od" | "os" | null;
                                        /**
                                         * @description detected: nobody had said, so the check filled in `eye` (eye_source detected); agrees / disagrees: with the image's eye as it stands (a disagreement is flagged to the reader); uncertain: no optic disc clearly on one side
                                         * @enum {string}
                                         */
                                        verdict: "detected" | "agrees" | "disagrees" | "uncertain";
                                    };
                                    /** @description Gradability */
                                    quality: {
                                        measures: {
                                            /** @description Share of the round field of view inside the picture (0–1) */
                                            coverage: {
                                                reason: string;
                                                /** @description Share of the round field of view inside the picture (0–1) */
                                                value: number;
                                                /** @enum {string} */
                                                verdict: "good" | "usable" | "reject";
                                            };
                                            /** @description Share of the field burnt out (0–1) */
                                            overexposed: {
                                                reason: string;
                                                /** @description Share of the field burnt out (0–1) */
                                                value: number;
                                                /** @enum {string} */
                                                verdict: "good" | "usable" | "reject";
                                            };
                                            /** @description The field's diameter in the original's pixels */
                                            resolution: {
                                                reason: string;
                                                /** @description The field's diameter in the original's pixels */
                                                value: number;
                                                /** @enum {string} */
                                                verdict: "good" | "usable" | "reject";
                                            };
                                            /** @description Fine detail inside the field: high-frequency energy, per cent of its brightness, discounted for defocus */
                                            sharpness: {
                                                reason: string;
                                                /** @description Fine detail inside the field: high-frequency energy, per cent of its brightness, discounted for defocus */
                                                value: number;
                                                /** @enum {string} */
                                                verdict: "good" | "usable" | "reject";
                                            };
                                            /** @description Share of the field too dark to show detail (0–1) */
                                            underexposed: {
                                                reason: string;
                                                /** @description Share of the field too dark to show detail (0–1) */
                                                value: number;
                                                /** @enum {string} */
                                                verdict: "good" | "usable" | "reject";
                                            };
                                        };
                                        /** @description What limits it, in words */
                                        reason: string;
                                        /** @description A score: 1 when every measure is good, 0.5 at the edge of usable, lower towards reject */
                                        value: number;
                                        /**
                                         * @description The worst verdict of the measures: good, usable (gradable with some loss) or reject (take it again)
                                         * @enum {string}
                                         */
                                        verdict: "good" | "usable" | "reject";
                                    };
                                } | null;
                                content_type: string;
                                /** Format: date-time */
                                created_at: string;
                                /** @description Extension: the image came as a DICOM file. The photograph was taken from it (JPEG frames as they were, uncompressed pixels as PNG) and is what `content_type`, `size` and the previews describe; the file itself is kept as it came, for the clinic that sent it: GET /cases/{id}/images/{image_id}/dicom. Null for images sent as JPEG, PNG or TIFF. */
                                dicom: {
                                    /** @description Bytes of the DICOM file as it came */
                                    size: number;
                                    /** @enum {string} */
                                    sop_class: "ophthalmic_photography" | "secondary_capture";
                                } | null;
                                /**
                                 * @description Which eye the photograph shows: od (right) or os (left); null while nobody has said
                                 * @enum {string|null}
                                 */
                                eye: "od" | "os" | null;
                                /**
                                 * @description Who said which eye: client (images[od]/images[os] or image_eyes), dicom (ImageLaterality of the DICOM file it came in), file_name (guessed from it), reader (set or corrected while reading), detected (the automatic check, where nobody had said)
                                 * @enum {string|null}
                                 */
                                eye_source: "client" | "file_name" | "reader" | "dicom" | "detected" | null;
                                /** @description The client's file name, for display */
                                file_name: string;
                                height: number;
                                id: number;
                                /** @description Hex SHA-256 of the stored file. Null for a few seconds after the upload: the image worker hashes the stored file with the previews. Known at once when the case was created with an Idempotency-Key. */
                                sha256: string | null;
                                /** @description Bytes */
                                size: number;
                                /**
                                 * @description checking: not decoded yet (about a second after the upload); ok: decoded, see checks; unreadable: it cannot be decoded (status_reason says why; the clinic gets a case.image_unreadable callback, and readers never see it): send it again
                                 * @enum {string}
                                 */
                                status: "checking" | "ok" | "unreadable";
                                /** @description Why the image is unreadable; null otherwise */
                                status_reason: string | null;
                                width: number;
                            }[];
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description Failure envelope */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/staff/cases/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One case of your centers (extension) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /**
                     * @description Case id (an integer)
                     * @example 42
                     */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            content: components["schemas"]["Case"];
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description Failure envelope */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/staff/cases/{id}/images": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add images to a pending case of one of your centers (extension) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /**
                     * @description Case id (an integer)
                     * @example 42
                     */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "multipart/form-data": {
                        /** @description Legacy: the token as a form field */
                        access_token?: string;
                        /** @description Which eye each file shows, in file order (e.g. `od,os`) */
                        image_eyes?: string;
                        /** @description Images, as `images[]` or `images` */
                        "images[]": string[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description The case id */
                            content: number;
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description Failure envelope */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/staff/cases/{id}/images/{imageId}/dicom": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The DICOM file an image of a case of your centers came in (extension)
         * @description The DICOM Part 10 file an image came in (`images[].dicom` not null), byte for byte as it was sent, as `application/dicom`. It names the patient: it is served to the clinic that sent it, never to readers, who see the photograph taken from it. 404 for an image sent as JPEG, PNG or TIFF.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    imageId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The DICOM file */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/dicom": string;
                    };
                };
                /** @description Failure envelope */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/dicom": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/dicom": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/dicom": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/dicom": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/dicom": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/staff/cases/{id}/report": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The report of a case of your centers (extension)
         * @description The PDF (a browser downloads it), or base64 in the envelope when the request prefers JSON or says `format=json`; 409 report_not_ready or case_rejected.
         */
        get: {
            parameters: {
                query?: {
                    /** @description pdf: the raw PDF; json: base64 in the envelope. Overrides Accept */
                    format?: "json" | "pdf";
                };
                header?: never;
                path: {
                    /**
                     * @description Case id (an integer)
                     * @example 42
                     */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The report */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: byte
                             * @description The PDF, base64
                             */
                            content: string;
                            /** @enum {boolean} */
                            success: true;
                        };
                        "application/pdf": string;
                    };
                };
                /** @description Not modified: the If-None-Match entity tag still holds (no body) */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Failure envelope */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                        "application/pdf": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                        "application/pdf": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                        "application/pdf": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                        "application/pdf": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                        "application/pdf": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                        "application/pdf": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/staff/centers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The centers this member of staff works for (extension) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            content: {
                                id: number;
                                /**
                                 * @description Language of its reports: their wording, dates and numbers
                                 * @enum {string}
                                 */
                                language: "en" | "es";
                                name: string;
                                /**
                                 * @description IANA time zone its reports are dated in: its own, or the instance default (OPENRETINA_DEFAULT_TIMEZONE)
                                 * @example Europe/Madrid
                                 */
                                timezone: string;
                            }[];
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description Failure envelope */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Failure envelope */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Case: {
            /** @description Age in whole years (0–120). */
            age: number | null;
            /** @description When the current report version amends an earlier one: what it replaced, whether it is more urgent, why and when; null for version 1 and before */
            amendment: {
                /**
                 * Format: date-time
                 * @description When the current version was signed
                 */
                amended_at: string;
                /** @description True when the current derivation is more urgent than that one: a report the center may have acted on now asks for more */
                more_urgent: boolean;
                /**
                 * @description The derivation of the version the current one replaced
                 * @enum {string}
                 */
                previous_derivation: "normal" | "routine" | "preferential" | "urgent";
                /** @description The reader's reason for the amendment */
                reason: string;
            } | null;
            /** @description http(s) URL that is told when the report is ready or the case is rejected. No user:password part. */
            callback_url: string | null;
            center_id: number;
            /** Format: date-time */
            created_at: string;
            /**
             * @description Referral urgency, once reported
             * @enum {string|null}
             */
            derivation: "normal" | "routine" | "preferential" | "urgent" | null;
            /** @description Free text for anything without its own field (OPTretina SDK). */
            description: string | null;
            /** @description 0 no, 1 yes. */
            diabetes: (0 | 1) | null;
            /** @description Structured findings of the current report version, once reported */
            findings: {
                /** @description Why glaucoma is not suspected in an eye whose vertical cup-to-disc ratio suggests it (0.7 or more, or 0.2 more than the other eye); null when no eye is */
                glaucoma_override_reason: string | null;
                od: {
                    /**
                     * @description Beckman AMD
                     * @enum {string|null}
                     */
                    amd: "none" | "early" | "intermediate" | "late_atrophic" | "late_neovascular" | null;
                    /**
                     * @description Diabetic macular oedema by centre involvement
                     * @enum {string|null}
                     */
                    dme: "absent" | "non_centre_involving" | "centre_involving" | null;
                    /**
                     * @description ICDR diabetic retinopathy
                     * @enum {string|null}
                     */
                    dr: "none" | "mild" | "moderate" | "severe" | "proliferative" | null;
                    glaucoma_suspect: boolean;
                    /**
                     * @description Wong–Mitchell hypertensive retinopathy
                     * @enum {string|null}
                     */
                    hypertensive: "none" | "mild" | "moderate" | "malignant" | null;
                    other_findings: ("retinal_detachment" | "papilloedema" | "retinal_vein_occlusion" | "retinal_artery_occlusion" | "epiretinal_membrane" | "macular_hole" | "choroidal_naevus" | "myopic_maculopathy" | "cataract_media_opacity" | "other")[];
                    other_text: string | null;
                    /** @enum {string} */
                    quality: "good" | "acceptable" | "ungradable";
                    vertical_cdr: number | null;
                };
                os: {
                    /**
                     * @description Beckman AMD
                     * @enum {string|null}
                     */
                    amd: "none" | "early" | "intermediate" | "late_atrophic" | "late_neovascular" | null;
                    /**
                     * @description Diabetic macular oedema by centre involvement
                     * @enum {string|null}
                     */
                    dme: "absent" | "non_centre_involving" | "centre_involving" | null;
                    /**
                     * @description ICDR diabetic retinopathy
                     * @enum {string|null}
                     */
                    dr: "none" | "mild" | "moderate" | "severe" | "proliferative" | null;
                    glaucoma_suspect: boolean;
                    /**
                     * @description Wong–Mitchell hypertensive retinopathy
                     * @enum {string|null}
                     */
                    hypertensive: "none" | "mild" | "moderate" | "malignant" | null;
                    other_findings: ("retinal_detachment" | "papilloedema" | "retinal_vein_occlusion" | "retinal_artery_occlusion" | "epiretinal_membrane" | "macular_hole" | "choroidal_naevus" | "myopic_maculopathy" | "cataract_media_opacity" | "other")[];
                    other_text: string | null;
                    /** @enum {string} */
                    quality: "good" | "acceptable" | "ungradable";
                    vertical_cdr: number | null;
                };
                recommendation: string;
                rescreen_months: number | null;
            } | null;
            /** @description Patient first name. Never shown to readers. */
            first_name: string | null;
            /** @description 0 male, 1 female. */
            gender: (0 | 1) | null;
            /** @description The center's own patient identifier (clinical history number). */
            history_number: string | null;
            id: number;
            images: {
                /** @description The automatic checks once the image is decoded; null while checking, when unreadable, and for images stored before checks existed */
                checks: {
                    /** @description A fundus photograph: a round field of view on a dark surround, in the colours of a retina (or grey: red-free) */
                    fundus: {
                        reason: string;
                        /** @description A score: how round the lit field is, scaled down by each other criterion that fails (its surround's darkness, its colour) */
                        value: number;
                        /** @enum {string} */
                        verdict: "fundus" | "not_fundus";
                    };
                    /** @description Which eye, from where the optic disc lies in a macula-centred photograph */
                    laterality: {
                        confidence: number;
                        reason: string;
                        /**
                         * @description The eye the optic disc says (on the image’s right: od), null when not sure
                         * @enum {string|null}
                         */
                        value: "od" | "os" | null;
                        /**
                         * @description detected: nobody had said, so the check filled in `eye` (eye_source detected); agrees / disagrees: with the image's eye as it stands (a disagreement is flagged to the reader); uncertain: no optic disc clearly on one side
                         * @enum {string}
                         */
                        verdict: "detected" | "agrees" | "disagrees" | "uncertain";
                    };
                    /** @description Gradability */
                    quality: {
                        measures: {
                            /** @description Share of the round field of view inside the picture (0–1) */
                            coverage: {
                                reason: string;
                                /** @description Share of the round field of view inside the picture (0–1) */
                                value: number;
                                /** @enum {string} */
                                verdict: "good" | "usable" | "reject";
                            };
                            /** @description Share of the field burnt out (0–1) */
                            overexposed: {
                                reason: string;
                                /** @description Share of the field burnt out (0–1) */
                                value: number;
                                /** @enum {string} */
                                verdict: "good" | "usable" | "reject";
                            };
                            /** @description The field's diameter in the original's pixels */
                            resolution: {
                                reason: string;
                                /** @description The field's diameter in the original's pixels */
                                value: number;
                                /** @enum {string} */
                                verdict: "good" | "usable" | "reject";
                            };
                            /** @description Fine detail inside the field: high-frequency energy, per cent of its brightness, discounted for defocus */
                            sharpness: {
                                reason: string;
                                /** @description Fine detail inside the field: high-frequency energy, per cent of its brightness, discounted for defocus */
                                value: number;
                                /** @enum {string} */
                                verdict: "good" | "usable" | "reject";
                            };
                            /** @description Share of the field too dark to show detail (0–1) */
                            underexposed: {
                                reason: string;
                                /** @description Share of the field too dark to show detail (0–1) */
                                value: number;
                                /** @enum {string} */
                                verdict: "good" | "usable" | "reject";
                            };
                        };
                        /** @description What limits it, in words */
                        reason: string;
                        /** @description A score: 1 when every measure is good, 0.5 at the edge of usable, lower towards reject */
                        value: number;
                        /**
                         * @description The worst verdict of the measures: good, usable (gradable with some loss) or reject (take it again)
                         * @enum {string}
                         */
                        verdict: "good" | "usable" | "reject";
                    };
                } | null;
                content_type: string;
                /** Format: date-time */
                created_at: string;
                /** @description Extension: the image came as a DICOM file. The photograph was taken from it (JPEG frames as they were, uncompressed pixels as PNG) and is what `content_type`, `size` and the previews describe; the file itself is kept as it came, for the clinic that sent it: GET /cases/{id}/images/{image_id}/dicom. Null for images sent as JPEG, PNG or TIFF. */
                dicom: {
                    /** @description Bytes of the DICOM file as it came */
                    size: number;
                    /** @enum {string} */
                    sop_class: "ophthalmic_photography" | "secondary_capture";
                } | null;
                /**
                 * @description Which eye the photograph shows: od (right) or os (left); null while nobody has said
                 * @enum {string|null}
                 */
                eye: "od" | "os" | null;
                /**
                 * @description Who said which eye: client (images[od]/images[os] or image_eyes), dicom (ImageLaterality of the DICOM file it came in), file_name (guessed from it), reader (set or corrected while reading), detected (the automatic check, where nobody had said)
                 * @enum {string|null}
                 */
                eye_source: "client" | "file_name" | "reader" | "dicom" | "detected" | null;
                /** @description The client's file name, for display */
                file_name: string;
                height: number;
                id: number;
                /** @description Hex SHA-256 of the stored file. Null for a few seconds after the upload: the image worker hashes the stored file with the previews. Known at once when the case was created with an Idempotency-Key. */
                sha256: string | null;
                /** @description Bytes */
                size: number;
                /**
                 * @description checking: not decoded yet (about a second after the upload); ok: decoded, see checks; unreadable: it cannot be decoded (status_reason says why; the clinic gets a case.image_unreadable callback, and readers never see it): send it again
                 * @enum {string}
                 */
                status: "checking" | "ok" | "unreadable";
                /** @description Why the image is unreadable; null otherwise */
                status_reason: string | null;
                width: number;
            }[];
            /** @description Patient last name. Never shown to readers. */
            last_name: string | null;
            /** @description Near addition of the right eye in dioptres (0 to +5). */
            od_add: number | null;
            /** @description Cylinder axis of the right eye in degrees (0–180). */
            od_axis: number | null;
            /** @description Cylinder of the right eye in dioptres (−15 to +15). */
            od_cylinder: number | null;
            /** @description Intraocular pressure of the right eye in mmHg (0–80; normal is about 10–21, acute angle closure reaches 60–70). */
            od_iop: number | null;
            /** @description Prism of the right eye in prism dioptres (0–30). */
            od_prism: number | null;
            /** @description Prism base of the right eye: 0 down, 1 up. */
            od_prism_base: (0 | 1) | null;
            /** @description Sphere of the right eye in dioptres (−30 to +30). */
            od_sphere: number | null;
            /** @description Visual acuity of the right eye as a decimal (0–2.0, 1.0 = 20/20). A Snellen fraction such as 20/40 or 6/12 is converted. */
            od_va: number | null;
            /** @description Ophthalmic history. */
            ophthalmic_antecedents: string | null;
            /** @description Near addition of the left eye in dioptres (0 to +5). */
            os_add: number | null;
            /** @description Cylinder axis of the left eye in degrees (0–180). */
            os_axis: number | null;
            /** @description Cylinder of the left eye in dioptres (−15 to +15). */
            os_cylinder: number | null;
            /** @description Intraocular pressure of the left eye in mmHg (0–80; normal is about 10–21, acute angle closure reaches 60–70). */
            os_iop: number | null;
            /** @description Prism of the left eye in prism dioptres (0–30). */
            os_prism: number | null;
            /** @description Prism base of the left eye: 0 down, 1 up. */
            os_prism_base: (0 | 1) | null;
            /** @description Sphere of the left eye in dioptres (−30 to +30). */
            os_sphere: number | null;
            /** @description Visual acuity of the left eye as a decimal (0–2.0, 1.0 = 20/20). A Snellen fraction such as 20/40 or 6/12 is converted. */
            os_va: number | null;
            /** @description Other relevant clinical information. */
            other_relevant_info: string | null;
            /** @description Why the case was rejected, once rejected: what the clinic must do next follows from the reason */
            rejection: {
                /**
                 * @description image_quality: the photographs cannot be graded; wrong_or_missing_images: an eye is missing or the photographs are not fundus photographs; missing_clinical_data: data the reader needs is missing; other: see text
                 * @enum {string}
                 */
                reason: "image_quality" | "wrong_or_missing_images" | "missing_clinical_data" | "other";
                /** Format: date-time */
                rejected_at: string;
                /** @description The reader's own words */
                text: string | null;
            } | null;
            /** @description Where the report PDF is, once reported */
            report_url: string | null;
            /** @description Version of the signed report; amendments add one */
            report_version: number | null;
            reported_at: string | null;
            /** @description A reader’s open request for new photographs (or missing data): send them with POST /cases/{id}/images and the case returns to the worklist */
            requested: {
                /**
                 * @description The same reasons as a rejection
                 * @enum {string}
                 */
                reason: "image_quality" | "wrong_or_missing_images" | "missing_clinical_data" | "other";
                /** Format: date-time */
                requested_at: string;
                /** @description The reader's own words */
                text: string | null;
            } | null;
            /** @description Notes for the reading retina specialist. */
            retinologist_notes: string | null;
            /** @enum {string} */
            status: "pending" | "reported" | "rejected";
            /** Format: date-time */
            updated_at: string;
            /**
             * Format: date
             * @description Date of the visit, YYYY-MM-DD (a full ISO 8601 or "YYYY-MM-DD HH:MM:SS" timestamp is cut to its date). Not before 1900, not after tomorrow. Defaults to the day the case is received.
             */
            visit_date: string;
            /** @description Why the patient came. */
            visit_reason: string | null;
            /**
             * @description Pending cases: images (none yet, none that can be read — every one `unreadable` —, or a reader asked for new ones: the clinic must act; such a case is not on the readers’ worklist) or reader; null once reported or rejected
             * @enum {string|null}
             */
            waiting_for: "images" | "reader" | null;
        };
        /** @description Failure envelope */
        ErrorEnvelope: {
            /** @description Human-readable message (the OPTretina SDK shows this) */
            content: string;
            error: {
                /** @description Machine-readable error code */
                code: string;
                /** @description Every field that broke a rule */
                fields?: {
                    /** @description The request field, as the client named it (od_iop, od.quality, images[1]) */
                    field: string;
                    /** @description A sentence for a person, starting with what the field is called ("Right eye (OD) — image quality is required") */
                    message: string;
                    /** @description The rule it broke: required, type, range, max_length, format, enum, unknown_field, … */
                    rule: string;
                }[];
            };
            /** @enum {boolean} */
            success: false;
        };
        OAuthError: {
            content: string;
            /** @description RFC 6749 §5.2 error code */
            error: "invalid_request" | "invalid_client" | "unsupported_grant_type" | "invalid_grant";
            error_description: string;
            /** @enum {boolean} */
            success: false;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
