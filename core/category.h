/* Stall categories (经营类别): stable ids stored in stalls.category, their
 * Chinese names as markets print them, and the retail re-weigh table's row a
 * category's goods usually fall in (《零售商品称重计量监督管理办法》附表1; the
 * officer can pick another, e.g. by price per kg). */
#ifndef STALLCHECK_CORE_CATEGORY_H
#define STALLCHECK_CORE_CATEGORY_H

#include <stddef.h>

struct category_info {
    const char *id;      /* "vegetables" */
    const char *zh;      /* "蔬菜" */
    const char *reweigh; /* "grain-veg-fruit" */
};

const struct category_info *category_list(size_t *count);
/* By id or by Chinese name; NULL when unknown. */
const struct category_info *category_find(const char *id_or_zh);

#endif
