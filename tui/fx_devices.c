/* Effects on the scales: zero, tare, and reconnecting one shown offline
 * (tui/scales.h keeps the links). */
#include "core/error.h"
#include "tui/fx_area.h"
#include "tui/i18n.h"

static int request(struct fx *fx, struct session *ses, int which, enum driver_request req)
{
    int rc = scales_request(fx->scales, ses, which, req);
    if (rc == SC_ERR_GONE)
        session_message(ses, 1, "%s", _("The scale is offline"));
    else if (rc == SC_ERR_UNSUPPORTED)
        session_message(ses, 1, "%s", _("This scale takes no commands: use its own keys"));
    return rc;
}

int fx_device_zero(struct fx *fx, struct session *ses, const struct tui_effect *eff)
{
    return request(fx, ses, eff->scale, DRIVER_REQ_ZERO);
}

int fx_device_tare(struct fx *fx, struct session *ses, const struct tui_effect *eff)
{
    return request(fx, ses, eff->scale, DRIVER_REQ_TARE);
}

int fx_device_retry(struct fx *fx, struct session *ses, const struct tui_effect *eff)
{
    if (!ses->scales[eff->scale].configured) {
        session_message(ses, 1, "%s", _("No scale configured"));
        return SC_ERR_NOTFOUND;
    }
    int rc = scales_retry(fx->scales, ses, eff->scale);
    if (rc < 0)
        session_message(ses, 1, "%s: %s", _("Still offline"), ses->scales[eff->scale].error);
    else
        session_message(ses, 0, "%s", _("Scale connected"));
    return rc;
}
