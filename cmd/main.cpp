#include <cstdio>
int main() { std::puts("chorus " CHORUS_VERSION); return 0; }
