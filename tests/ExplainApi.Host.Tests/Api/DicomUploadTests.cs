using System.Net;
using System.Text.Json;
using ExplainApi.Dicom.Tests;
using ExplainApi.Host.Tests.Infrastructure;

namespace ExplainApi.Host.Tests.Api;

/// <summary>
/// A real DICOM file with patient attributes (written by GDCM's gdcmimg and dcmtk's dcmodify) goes
/// through the API; neither the answer nor any log event may carry those attributes.
/// </summary>
public sealed class DicomUploadTests(ExplainApiFactory factory) : IClassFixture<ExplainApiFactory>, IDisposable
{
    private const string PatientName = "DOE^JANE";
    private const string PatientId = "PID778899";
    private const string BirthDate = "19610203";

    private readonly string _directory = Directory.CreateTempSubdirectory("explainapi-host-dicom-").FullName;

    private string MakeDicom(bool withPixels)
    {
        var raw = Path.Combine(_directory, "image.raw");
        File.WriteAllBytes(raw, [.. Enumerable.Range(0, 16 * 12).Select(i => (byte)(i * 5 % 256))]);
        var dicom = Path.Combine(_directory, withPixels ? "with-pixels.dcm" : "no-pixels.dcm");
        DicomTools.Run("gdcmimg", "--size", "16,12", "--depth", "8", "--sign", "0", raw, dicom);
        DicomTools.Run("dcmodify", "-nb", "-i", $"(0010,0010)={PatientName}", "-i", $"(0010,0020)={PatientId}",
            "-i", $"(0010,0030)={BirthDate}", "-i", "(0008,0060)=MR", dicom);
        if (!withPixels)
        {
            DicomTools.Run("dcmodify", "-nb", "-e", "(7fe0,0010)", dicom);
        }

        return dicom;
    }

    [Fact]
    public async Task A_dicom_upload_is_decoded_and_no_patient_attribute_reaches_the_answer_or_the_logs()
    {
        var bytes = await File.ReadAllBytesAsync(MakeDicom(withPixels: true));
        Assert.Contains(PatientName, System.Text.Encoding.ASCII.GetString(bytes), StringComparison.Ordinal);

        var response = await factory.CreateClient(ExplainApiFactory.InferKey)
            .PostAsync("/v1/images/inspect", TestImages.Content(bytes, "application/dicom"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal("dicom", body.GetProperty("format").GetString());
        Assert.Equal("MR", body.GetProperty("modality").GetString());
        Assert.Equal(16, body.GetProperty("width").GetInt32());
        Assert.Equal(12, body.GetProperty("height").GetInt32());
        Assert.Equal(255, body.GetProperty("statistics")[0].GetProperty("max").GetDouble()); // pixel 51: 51 * 5 = 255

        // The request line is written after the response is sent: wait for it rather than race it.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!factory.LogEvents.Any(e => e.Properties.TryGetValue("RoutePattern", out var r) && r.ToString().Contains("inspect", StringComparison.Ordinal))
            && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        var logs = string.Join("\n", factory.LogEvents.Select(e => e.RenderMessage(null) + " " +
            string.Join(" ", e.Properties.Select(p => p.Key + "=" + p.Value))));
        Assert.Contains("/v1/images/inspect", logs, StringComparison.Ordinal); // the request was logged...
        Assert.DoesNotContain(factory.LogEvents, e => e.Properties.ContainsKey("RequestPath")); // ...by route pattern, never raw path
        foreach (var secret in new[] { PatientName, "DOE", PatientId, BirthDate })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal); // ...without patient data
        }
    }

    [Fact]
    public async Task A_dicom_without_pixel_data_is_422()
    {
        var bytes = await File.ReadAllBytesAsync(MakeDicom(withPixels: false));
        var response = await factory.CreateClient(ExplainApiFactory.InferKey)
            .PostAsync("/v1/images/inspect", TestImages.Content(bytes, "application/dicom"));
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnprocessableEntity, Errors.ProblemTypes.ImageNoPixels);
        Assert.Contains("Pixel Data", problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
