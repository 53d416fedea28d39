/* The database, the rules in force and today, for the commands that score
 * (cli/scores_ctx.h). */
#include "cli/scores_ctx.h"

#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/error.h"
#include "db/lists.h"
#include "report/site_path.h"

int scores_open(const char *what, const char *rules_path, struct scores_ctx *ctx)
{
    memset(ctx, 0, sizeof *ctx);
    int rc0 = cli_db_open(what, &ctx->db);
    if (rc0 != 0)
        return rc0;
    if (lists_rules(ctx->db, rules_path, &ctx->rules) < 0) {
        int rc = cli_fail(what, "%s", sc_error_message());
        db_close(ctx->db);
        ctx->db = NULL;
        return rc;
    }
    if (db_setting_get(ctx->db, SITE_BASE_SETTING, ctx->base_url, sizeof ctx->base_url) < 0 ||
        !site_base_valid(ctx->base_url))
        ctx->base_url[0] = '\0';
    char buf[16];
    db_today(buf, sizeof buf);
    if (day_parse(buf, &ctx->today) < 0) {
        int rc = cli_fail(what, "today: %s", sc_error_message());
        db_close(ctx->db);
        ctx->db = NULL;
        return rc;
    }
    return 0;
}

void scores_warn_no_url(const char *what, const struct scores_ctx *ctx)
{
    static int said;
    if (ctx->base_url[0] != '\0' || said++)
        return;
    fprintf(stderr, "stallcheck: %s: the public base URL is not set, so the paper carries no QR "
                    "code; set it with: stallcheck settings %s URL\n",
            what, SITE_BASE_SETTING);
}

void scores_close(struct scores_ctx *ctx)
{
    db_close(ctx->db);
    ctx->db = NULL;
}
