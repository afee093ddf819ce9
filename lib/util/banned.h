/*
 * banned.h - libc calls that are easy to misuse, turned into compile errors.
 * Use snprintf / fk_buf instead of the string copiers, and the _r forms for time.
 */
#ifndef FK_BANNED_H
#define FK_BANNED_H

#define FK_BANNED(func) sorry_##func##_is_banned_in_fukkyu

#undef strcpy
#define strcpy(x, y) FK_BANNED(strcpy)
#undef strcat
#define strcat(x, y) FK_BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) FK_BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) FK_BANNED(strncat)
#undef sprintf
#define sprintf(...) FK_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) FK_BANNED(vsprintf)
#undef gets
#define gets(x) FK_BANNED(gets)
#undef strtok
#define strtok(x, y) FK_BANNED(strtok)
#undef gmtime
#define gmtime(t) FK_BANNED(gmtime)
#undef localtime
#define localtime(t) FK_BANNED(localtime)
#undef ctime
#define ctime(t) FK_BANNED(ctime)
#undef asctime
#define asctime(t) FK_BANNED(asctime)
#undef atoi
#define atoi(x) FK_BANNED(atoi)

#endif
