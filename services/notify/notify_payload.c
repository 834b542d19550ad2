/*
 * notify_payload.c - what an attempt sends: the JSON body of a message (for
 * the SMS gateway, a webhook and a spool file alike), and the spool
 * channel's atomic file write.
 *
 * {"idempotency_key": "...", "id": 17, "case_id": "...", "kind": "offer",
 *  "party": "lawyer", "recipient": "...", "to": ["139..."], "text": "..."}
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "notify_payload.h"
#include "notify_render.h"

static void json_string(buf_t *b, const char *s)
{
    buf_append(b, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        char esc[8];
        if (*p == '"' || *p == '\\') {
            esc[0] = '\\';
            esc[1] = (char)*p;
            buf_append(b, esc, 2);
        } else if (*p < 0x20) {
            snprintf(esc, sizeof esc, "\\u%04x", *p);
            buf_append(b, esc, 6);
        } else {
            buf_append(b, p, 1);
        }
    }
    buf_append(b, "\"", 1);
}

static void json_key(buf_t *b, const char *key, int first)
{
    if (!first) buf_append(b, ",", 1);
    json_string(b, key);
    buf_append(b, ":", 1);
}

char *notify_payload_json(const Legalaid__Notification *n)
{
    buf_t b = {0};
    char num[32];
    buf_append(&b, "{", 1);
    json_key(&b, "idempotency_key", 1);
    json_string(&b, n->idempotency_key);
    json_key(&b, "id", 0);
    snprintf(num, sizeof num, "%" PRIu64, n->id);
    buf_append(&b, num, strlen(num));
    json_key(&b, "case_id", 0);
    json_string(&b, n->case_id);
    json_key(&b, "kind", 0);
    json_string(&b, n->kind);
    json_key(&b, "party", 0);
    json_string(&b, notify_render_party(n->party));
    json_key(&b, "recipient", 0);
    json_string(&b, n->recipient);
    json_key(&b, "to", 0);
    buf_append(&b, "[", 1);
    if (n->channel == LEGALAID__NOTIFY_CHANNEL__CHANNEL_SMS && n->destination) {
        /* One or more phones, comma-separated (the staff's). */
        const char *p = n->destination;
        int first = 1;
        while (*p) {
            const char *end = strchr(p, ',');
            size_t len = end ? (size_t)(end - p) : strlen(p);
            while (len && (*p == ' ')) p++, len--;
            char phone[64];
            if (len && len < sizeof phone) {
                memcpy(phone, p, len);
                phone[len] = 0;
                if (!first) buf_append(&b, ",", 1);
                json_string(&b, phone);
                first = 0;
            }
            if (!end) break;
            p = end + 1;
        }
    }
    buf_append(&b, "]", 1);
    json_key(&b, "text", 0);
    json_string(&b, n->text);
    buf_append(&b, "}\n", 3); /* with the NUL */
    return (char *)b.data;
}

int notify_payload_spool_write(const char *dir, const Legalaid__Notification *n, char *error,
                               size_t errlen)
{
    char path[1024], tmp[1100];
    snprintf(path, sizeof path, "%s/notification-%020" PRIu64 ".json", dir, n->id);
    snprintf(tmp, sizeof tmp, "%s/.notification-%020" PRIu64 ".tmp", dir, n->id);
    char *json = notify_payload_json(n);
    size_t len = strlen(json);
    int rc = 0;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (fd < 0) {
        rc = -errno;
        snprintf(error, errlen, "spool: cannot create %s: %s", tmp, strerror(errno));
        free(json);
        return rc;
    }
    ssize_t w = write(fd, json, len);
    if (w != (ssize_t)len || fsync(fd) != 0) {
        rc = w < 0 || errno ? -errno : -EIO;
        snprintf(error, errlen, "spool: cannot write %s: %s", tmp, strerror(errno ? errno : EIO));
    }
    close(fd);
    free(json);
    if (!rc && rename(tmp, path) != 0) {
        rc = -errno;
        snprintf(error, errlen, "spool: cannot rename to %s: %s", path, strerror(errno));
    }
    if (rc) {
        unlink(tmp);
        return rc;
    }
    /* The rename is durable only once the directory is synced. */
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    return 0;
}
