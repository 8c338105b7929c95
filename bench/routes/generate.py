#!/usr/bin/env python3
"""Writes a CgiRouting app with N routes (GET /r<i>/<id>, int id) into DIR, for the route-count benchmark.

The handlers build their answer from literals they share ("r" + i + " " + id), so that the table measures what the
framework costs per route: a distinct string literal in each handler is the app's own data, and would cost the same
(a relocated object per literal) with or without CgiRouting."""
import os
import sys

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
            f.write(f'    [Get("/r{i}/<id>")] public static string R{i}(int id) => "r" + {i} + " " + id;\n')
        f.write("}\n")
