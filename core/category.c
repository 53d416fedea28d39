#include "core/category.h"

#include <string.h>

static const struct category_info categories[] = {
    {"vegetables", "蔬菜", "grain-veg-fruit"},
    {"meat", "肉类", "meat-egg-aquatic"},
    {"aquatic", "水产", "meat-egg-aquatic"},
    {"poultry-egg", "禽蛋", "meat-egg-aquatic"},
    {"tofu", "豆制品", "grain-veg-fruit"},     /* usually under 6 元/kg */
    {"cooked", "熟食", "meat-egg-aquatic"},
    {"dried", "干货", "dried-delicacy"},       /* 干菜、山(海)珍品 */
    {"fruit", "水果", "grain-veg-fruit"},
    {"grain-oil", "粮油", "grain-veg-fruit"},
    {"seasoning", "调味品", "meat-egg-aquatic"}, /* named in 附表1's second row */
    {"other", "其他", "grain-veg-fruit"},
};

const struct category_info *category_list(size_t *count)
{
    *count = sizeof categories / sizeof categories[0];
    return categories;
}

const struct category_info *category_find(const char *s)
{
    if (s == NULL)
        return NULL;
    for (size_t i = 0; i < sizeof categories / sizeof categories[0]; i++)
        if (strcmp(categories[i].id, s) == 0 || strcmp(categories[i].zh, s) == 0)
            return &categories[i];
    return NULL;
}
