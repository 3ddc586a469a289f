using ExplainApi.Core;

namespace ExplainApi.Core.Tests;

public sealed class ClientSafeTextTests
{
    [Theory]
    [InlineData("Load model from /srv/data/models/m/3/model.onnx failed: protobuf", "Load model from model.onnx failed: protobuf")]
    [InlineData("Could not find file '/srv/data/models/m/3/sub/weights.bin'.", "Could not find file 'sub/weights.bin'.")]
    [InlineData("Access to the path '/var/lib/other/explainapi.db' is denied.", "Access to the path 'explainapi.db' is denied.")]
    [InlineData("libcudnn.so.9: cannot open shared object file (C:\\cuda\\bin\\cudnn.dll)", "libcudnn.so.9: cannot open shared object file (cudnn.dll)")]
    [InlineData("model.onnx: SHA-256 is ab, the manifest says cd; N/A and image/png stay", "model.onnx: SHA-256 is ab, the manifest says cd; N/A and image/png stay")]
    public void Paths_become_relative_to_the_base_folder_or_their_file_name(string message, string expected) =>
        Assert.Equal(expected, ClientSafeText.WithoutPaths(message, "/srv/data/models/m/3"));
}
