#include "core/due.h"

#include <string.h>

enum due_state due_state_of(int has_due, day_t due, day_t today)
{
    if (!has_due)
        return DUE_NEVER_VERIFIED;
    return due < today ? DUE_OVERDUE : DUE_IN_DATE;
}

struct due_status due_check(const char *due_text, day_t today)
{
    struct due_status s;
    memset(&s, 0, sizeof s);
    s.has_due = due_text != NULL && due_text[0] != '\0' && day_parse(due_text, &s.due) == 0;
    if (!s.has_due)
        s.due = 0;
    s.days = s.has_due ? (int)(s.due - today) : 0;
    s.state = due_state_of(s.has_due, s.due, today);
    return s;
}

int due_overdue(const char *due_text, day_t today)
{
    return due_check(due_text, today).state != DUE_IN_DATE;
}
