#include "fukkyu/common.h"
#include "cli.h"
enum fk_code cmd_demo(struct cli *c, int argc, char **argv) { (void)c; (void)argc; (void)argv; return FK_OK; }
