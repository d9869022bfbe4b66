using AgentAspire.AgentState.Tools;

namespace AgentAspire.AgentState.Tests.Unit;

public sealed class CanonicalJsonTests
{
    [Theory]
    [InlineData("""{"b":1,"a":2}""", """{"a":2,"b":1}""")]
    [InlineData("""  { "a" : [ 1 , 2 ] ,"c" :{ }, "b":[ ] }  """, """{"a":[1,2],"b":[],"c":{}}""")]
    [InlineData("""{"z":{"y":1,"x":{"w":true,"v":null}},"a":[{"d":1,"c":2}]}""", """{"a":[{"c":2,"d":1}],"z":{"x":{"v":null,"w":true},"y":1}}""")]
    [InlineData("""{"B":1,"a":2,"_":3}""", """{"B":1,"_":3,"a":2}""")]
    [InlineData("[3,1,2]", "[3,1,2]")]
    [InlineData("1.0", "1")]
    [InlineData("1.50", "1.5")]
    [InlineData("1e0", "1")]
    [InlineData("-0.000", "0")]
    [InlineData("100", "100")]
    [InlineData("\"caf\\u00e9\"", "\"café\"")]
    [InlineData("\"日本\"", "\"日本\"")]
    [InlineData("\"a\\/b\"", "\"a/b\"")]
    [InlineData("\"tab\\there\"", "\"tab\\there\"")]
    [InlineData("""{"\u0062":1,"a":2}""", """{"a":2,"b":1}""")]
    public void Canonicalize_writes_one_spelling_per_value(string json, string expected)
    {
        // Act
        var canonical = CanonicalJson.Canonicalize(json);

        // Assert
        Assert.Equal(expected, canonical);
    }

    [Theory]
    [InlineData("""{"query":"valkey","limit":5}""", """{ "limit": 5, "query": "valkey" }""")]
    [InlineData("""{"limit":1}""", """{"limit":1.0}""")]
    [InlineData("""{"q":"café"}""", """{"q":"caf\u00e9"}""")]
    [InlineData("""{"a":{"c":1,"b":2}}""", "{\n  \"a\": {\n    \"b\": 2,\n    \"c\": 1\n  }\n}")]
    public void Hash_is_equal_for_equivalent_json(string left, string right)
    {
        // Act
        var leftHash = CanonicalJson.Hash(left);
        var rightHash = CanonicalJson.Hash(right);

        // Assert
        Assert.Equal(leftHash, rightHash);
    }

    [Theory]
    [InlineData("""{"limit":1}""", """{"limit":2}""")]
    [InlineData("""{"limit":1}""", """{"limit":"1"}""")]
    [InlineData("[1,2]", "[2,1]")]
    [InlineData("""{"q":"Valkey"}""", """{"q":"valkey"}""")]
    [InlineData("""{"a":null}""", "{}")]
    [InlineData("""{"a":1}""", """{"A":1}""")]
    [InlineData("0.1", "0.10000000000000001")]
    public void Hash_differs_for_different_json(string left, string right)
    {
        // Act
        var leftHash = CanonicalJson.Hash(left);
        var rightHash = CanonicalJson.Hash(right);

        // Assert
        Assert.NotEqual(leftHash, rightHash);
    }

    [Fact]
    public void Hash_is_64_lowercase_hex_characters_of_sha256()
    {
        // Arrange
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("""{"a":1}"""u8));

        // Act
        var hash = CanonicalJson.Hash("""{ "a" : 1 }""");

        // Assert
        Assert.Matches("^[0-9a-f]{64}$", hash);
        Assert.Equal(expected, hash);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{'a':1}")]
    [InlineData("[1,]")]
    public void Canonicalize_refuses_invalid_json(string json)
    {
        // Act and Assert
        Assert.Throws<ArgumentException>(() => CanonicalJson.Canonicalize(json));
    }
}
