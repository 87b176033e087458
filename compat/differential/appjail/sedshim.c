/* `sed` found through PATH: FreeBSD's `sed -i ''` (separate empty suffix,
 * share/appjail/lib/replace:194,199,278) and `-I` mapped onto GNU sed's -i,
 * then /bin/sed runs. Built by ../run in its temp dir (a C shim because
 * AppJail calls sed ~1000 times per Makejail). */
#include <string.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	char **av = calloc((size_t)argc + 1, sizeof(char *));
	int i, n = 0, opts = 1;

	if (av == NULL)
		return 70;
	av[n++] = "sed";
	for (i = 1; i < argc; i++) {
		if (opts && strcmp(argv[i], "--") == 0)
			opts = 0;
		if (opts && strcmp(argv[i], "-i") == 0) {
			av[n++] = "-i";
			if (i + 1 < argc && argv[i + 1][0] == '\0')
				i++;
			continue;
		}
		if (opts && strcmp(argv[i], "-I") == 0) {
			av[n++] = "-i";
			continue;
		}
		av[n++] = argv[i];
	}
	av[n] = NULL;
	execv("/bin/sed", av);
	perror("/bin/sed");
	return 127;
}
