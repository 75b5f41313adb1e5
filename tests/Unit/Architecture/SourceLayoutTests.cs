using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Architecture;

/// <summary>
/// One type per file, named for it: every .cs file under src/, bench/ and tests/ declares exactly one
/// top-level type (class, struct, record, enum, interface or delegate) and is named for it. A type split
/// into partials keeps its main part in <c>Type.cs</c> and the others in <c>Type.Part.cs</c>; nested
/// types stay with their owner. The files are parsed with Roslyn, so a declaration over several lines,
/// a block namespace or a comment that looks like code cannot fool the check.
/// </summary>
public sealed class SourceLayoutTests
{
    /// <summary>The folders whose source the rule covers, relative to the repository root.</summary>
    private static readonly string[] Trees = ["src", "bench", "tests"];

    /// <summary>
    /// What is wrong with one file's layout, one line per problem; empty when the file declares exactly
    /// one top-level type and is named for it.
    /// </summary>
    internal static IReadOnlyList<string> Violations(string fileName, string source)
    {
        var root = CSharpSyntaxTree.ParseText(source).GetCompilationUnitRoot();
        var declarations = TopLevelTypes(root.Members).ToList();
        var stem = fileName[..fileName.IndexOf('.')];
        var isPart = fileName.Count(c => c == '.') > 1;
        var names = declarations.Select(DisplayName).Distinct().ToList();

        if (root.Members.OfType<GlobalStatementSyntax>().Any())
            return [$"{fileName}: has top-level statements; put the entry point in a Program class"];
        if (names.Count == 0)
            // Assembly attributes or global usings alone (AssemblyInfo.cs) declare nothing and are fine.
            return root.Members.Count == 0 ? [] : [$"{fileName}: declares no type"];
        if (names.Count > 1)
            return [$"{fileName}: declares {names.Count} top-level types ({string.Join(", ", names)}); move each into a file named for it"];

        var declared = declarations[0];
        var name = Identifier(declared);
        if (name != stem)
            return [$"{fileName}: declares {names[0]}; a file holding {names[0]} is named {name}.cs"];
        if (isPart && !declarations.All(d => d.Modifiers.Any(SyntaxKind.PartialKeyword)))
            return [$"{fileName}: a {stem}.Part.cs file holds a partial part of {stem}, but {names[0]} is not partial"];
        return [];
    }

    /// <summary>Every .cs file of the rule's folders, outside obj/ and bin/, relative to <paramref name="root"/>.</summary>
    internal static IReadOnlyList<string> SourceFiles(string root) =>
        Trees.Select(tree => Path.Combine(root, tree))
            .Where(Directory.Exists)
            .SelectMany(dir => Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories))
            .Select(path => Path.GetRelativePath(root, path).Replace('\\', '/'))
            .Where(path => !path.Split('/').Any(part => part is "obj" or "bin"))
            .Order(StringComparer.Ordinal)
            .ToList();

    private static IEnumerable<MemberDeclarationSyntax> TopLevelTypes(SyntaxList<MemberDeclarationSyntax> members)
    {
        foreach (var member in members)
        {
            if (member is BaseNamespaceDeclarationSyntax ns)
                foreach (var inner in TopLevelTypes(ns.Members))
                    yield return inner;
            else if (member is BaseTypeDeclarationSyntax or DelegateDeclarationSyntax)
                yield return member;
        }
    }

    private static string Identifier(MemberDeclarationSyntax declaration) => declaration switch
    {
        BaseTypeDeclarationSyntax type => type.Identifier.ValueText,
        DelegateDeclarationSyntax d => d.Identifier.ValueText,
        _ => throw new ArgumentException($"not a type declaration: {declaration.Kind()}", nameof(declaration)),
    };

    /// <summary>The name with its arity, so <c>Pool</c> and <c>Pool&lt;T&gt;</c> count as two types.</summary>
    private static string DisplayName(MemberDeclarationSyntax declaration)
    {
        var parameters = declaration switch
        {
            TypeDeclarationSyntax type => type.TypeParameterList,
            DelegateDeclarationSyntax d => d.TypeParameterList,
            _ => null,
        };
        var arity = parameters?.Parameters.Count ?? 0;
        return arity == 0 ? Identifier(declaration) : $"{Identifier(declaration)}<{new string(',', arity - 1)}>";
    }

    [Fact]
    public void Every_source_file_declares_one_type_named_for_it()
    {
        var violations = SourceFiles(RepoPaths.Root)
            .SelectMany(path => Violations(Path.GetFileName(path), File.ReadAllText(Path.Combine(RepoPaths.Root, path)))
                .Select(problem => $"{Path.GetDirectoryName(path)}/{problem}"))
            .ToList();
        Assert.True(violations.Count == 0,
            $"{violations.Count} file(s) break one type per file:\n{string.Join("\n", violations)}");
    }

    [Fact]
    public void The_scan_covers_src_bench_and_tests_and_skips_build_output()
    {
        var files = SourceFiles(RepoPaths.Root);
        Assert.Contains("src/MyVpn/Protocol/WireFormat.cs", files);
        Assert.Contains("src/MyVpn.Sim/Program.cs", files);
        Assert.Contains("bench/MyVpn.Bench/Program.cs", files);
        Assert.Contains("tests/Unit/Architecture/SourceLayoutTests.cs", files);
        Assert.Contains("tests/Netns/Infrastructure/RepoPaths.cs", files);
        Assert.DoesNotContain(files, path => path.Contains("/obj/", StringComparison.Ordinal) || path.Contains("/bin/", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("namespace A;\n/// <summary>x</summary>\npublic sealed class Widget { }\n")]
    [InlineData("namespace A\n{\n    public readonly record struct Widget(int X);\n}\n")]
    [InlineData("namespace A;\npublic enum Widget { One, Two }\n")]
    [InlineData("namespace A;\npublic delegate void Widget(int x);\n")]
    [InlineData("namespace A;\npublic interface Widget<T> { }\n")]
    [InlineData("namespace A;\npublic sealed class Widget\n{\n    private enum Kind { A }\n    private sealed record Part(int X);\n}\n")]
    [InlineData("namespace A;\n// public sealed class Gadget { }\npublic sealed class Widget { }\n")]
    public void A_file_with_one_type_named_for_it_passes(string source)
    {
        Assert.Empty(Violations("Widget.cs", source));
    }

    [Theory]
    [InlineData("namespace A;\npublic enum WidgetKind { One }\npublic sealed record Widget(WidgetKind Kind);\n", "WidgetKind, Widget")]
    [InlineData("namespace A\n{\n    public sealed class Widget { }\n    internal static class\n        WidgetExtensions { }\n}\n", "Widget, WidgetExtensions")]
    [InlineData("namespace A;\npublic sealed class Widget { }\npublic delegate void OnWidget(Widget w);\n", "Widget, OnWidget")]
    [InlineData("namespace A;\npublic sealed class Widget { }\npublic sealed class Widget<T> { }\n", "Widget, Widget<>")]
    public void A_second_top_level_type_is_reported(string source, string names)
    {
        var problem = Assert.Single(Violations("Widget.cs", source));
        Assert.Contains($"declares 2 top-level types ({names})", problem);
    }

    [Fact]
    public void A_type_in_a_file_named_otherwise_is_reported_with_the_name_it_should_have()
    {
        var problem = Assert.Single(Violations("Widgets.cs", "namespace A;\npublic sealed class Widget { }\n"));
        Assert.Equal("Widgets.cs: declares Widget; a file holding Widget is named Widget.cs", problem);
    }

    [Fact]
    public void A_partial_part_lives_in_a_file_named_for_its_type_and_part()
    {
        const string part = "namespace A;\npublic sealed partial class Widget\n{\n    private sealed class Helper { }\n}\n";
        Assert.Empty(Violations("Widget.DataPath.cs", part));
        Assert.Single(Violations("Gadget.DataPath.cs", part));
        var notPartial = Assert.Single(Violations("Widget.DataPath.cs", "namespace A;\npublic sealed class Widget { }\n"));
        Assert.Contains("is not partial", notPartial);
    }

    [Fact]
    public void A_part_file_may_not_bring_a_second_type_along()
    {
        const string source = "namespace A;\ninternal static class Helper { }\ninternal static partial class Widget { }\n";
        var problem = Assert.Single(Violations("Widget.Epoll.cs", source));
        Assert.Contains("declares 2 top-level types (Helper, Widget)", problem);
    }

    [Fact]
    public void Assembly_attributes_alone_are_fine_but_members_outside_a_type_are_not()
    {
        Assert.Empty(Violations("AssemblyInfo.cs", "[assembly: System.CLSCompliant(false)]\n"));
        Assert.Single(Violations("Program.cs", "System.Console.WriteLine(1);\n"));
    }
}
