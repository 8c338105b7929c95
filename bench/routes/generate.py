#!/usr/bin/env python3
"""Writes a CgiRouting app with N routes (GET /r<i>/<id>, int id) into DIR, for the route-count benchmark.
  generate.py N DIR REPO [--shape SHAPE]
--shape picks the table's template shape (default: the one above; `generate.py --shapes` lists them). Route 9 of
every shape answers the path that `generate.py --path SHAPE` prints with "r9 5": one request measures every size.

The handlers build their answer from literals they share ("r" + i + " " + id), so that the table measures what the
framework costs per route: a distinct string literal in each handler is the app's own data, and would cost the same
(a relocated object per literal) with or without CgiRouting."""
import os
import sys

# shape -> (lines of handlers for route i, the path that route 9 answers)
SHAPES = {
    "default": (lambda i: [f'[Get("/r{i}/<id>")] public static string R{i}(int id) => "r" + {i} + " " + id;'],
                "/r9/5"),
    # a literal after a parameter
    "literal-after-param": (lambda i: [f'[Get("/r{i}/<id>/x{i}")] public static string R{i}(int id) => "r" + {i} + " " + id;'],
                            "/r9/5/x9"),
    # long shared prefix before the distinguishing segment
    "shared-prefix": (lambda i: [f'[Get("/api/v1/things/r{i}/<id>")] public static string R{i}(int id) => "r" + {i} + " " + id;'],
                      "/api/v1/things/r9/5"),
    # parameters of other types than int: long, Guid, enum in turn
    "typed": (lambda i: [[f'[Get("/r{i}/<id>")] public static string R{i}(long id) => "r" + {i} + " " + id;',
                          f'[Get("/r{i}/<id>")] public static string R{i}(System.Guid id) => "r" + {i} + " " + id;',
                          f'[Get("/r{i}/<id>")] public static string R{i}(Kind id) => "r" + {i} + " " + (int)id;'][i % 3]],
              "/r9/5"),
    # a catch-all parameter
    "catch-all": (lambda i: [f'[Get("/r{i}/<rest...>")] public static string R{i}(string rest) => "r" + {i} + " " + rest;'],
                  "/r9/5"),
    # four methods on one path (route i is one of them: N routes on N / 4 paths; GET /r9/<id> is route 9)
    "methods": (lambda i: [f'[{["Post", "Get", "Put", "Delete"][i % 4]}("/r{i // 4 * 4 + 1}/<id>")] public static string '
                           f'R{i}(int id) => "r" + {i // 4 * 4 + 1} + " " + id;'],
                "/r9/5"),
}
# a mix: route i takes the shape of i's remainder among the others
MIX = ["literal-after-param", "shared-prefix", "typed", "catch-all", "methods", "default"]
SHAPES["mix"] = (lambda i: SHAPES[MIX[i % len(MIX)]][0](i), SHAPES[MIX[9 % len(MIX)]][1])

if sys.argv[1:] == ["--shapes"]:
    print(" ".join(SHAPES))
    sys.exit(0)
if sys.argv[1:2] == ["--path"]:  # generate.py --path SHAPE: the path that the benchmark requests
    print(SHAPES[sys.argv[2]][1])
    sys.exit(0)
shape = "default"
if "--shape" in sys.argv:
    at = sys.argv.index("--shape")
    shape = sys.argv[at + 1]
    del sys.argv[at:at + 2]
if shape not in SHAPES:
    sys.exit(f"unknown shape {shape!r}; shapes: {' '.join(SHAPES)}")
count, directory, repo = int(sys.argv[1]), sys.argv[2], os.path.abspath(sys.argv[3])
os.makedirs(directory, exist_ok=True)
with open(os.path.join(directory, "Routes.csproj"), "w") as f:
    f.write(f"""<Project Sdk="Microsoft.NET.Sdk">
  <Import Project="{repo}/src/Runtime/buildTransitive/CgiRouting.props" />
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <AssemblyName>routes</AssemblyName>
    <PublishAot>true</PublishAot>
    <ImportDirectoryBuildProps>false</ImportDirectoryBuildProps>
  </PropertyGroup>
  <ItemGroup>
    <ProjectReference Include="{repo}/src/Runtime/CgiRouting.csproj" />
    <ProjectReference Include="{repo}/src/Generators/CgiRouting.Generators.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
  </ItemGroup>
</Project>
""")
with open(os.path.join(directory, "Program.cs"), "w") as f:
    f.write("return CgiRouting.CgiApp.Run();\n")
with open(os.path.join(directory, "Handlers.cs"), "w") as f:
    f.write("using CgiRouting;\n\nnamespace Bench;\n")
    for start in range(0, count, 100):
        f.write(f"\npublic static class Routes{start // 100}\n{{\n")
        for i in range(start, min(start + 100, count)):
            for line in SHAPES[shape][0](i):
                f.write(f"    {line}\n")
        f.write("}\n")
    if shape in ("typed", "mix"):
        f.write("\npublic enum Kind { A, B, C, D, E, F }\n")
