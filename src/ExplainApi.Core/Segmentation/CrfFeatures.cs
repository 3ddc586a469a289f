namespace ExplainApi.Core.Segmentation;

/// <summary>
/// The kernels' feature vectors, point-major and divided by their σ as DenseCRF2D builds them: (x/θγ, y/θγ) for
/// smoothness, (x/θα, y/θα, I_c/θβ …) for appearance (d = 3 grey, 5 RGB), x the column and y the row.
/// </summary>
internal static class CrfFeatures
{
    public static float[] Smoothness(int height, int width, float theta) => Positions(height, width, theta, 2);

    public static float[] Appearance(CrfImage image, float positionTheta, float intensityTheta)
    {
        var d = 2 + image.Channels;
        var features = Positions(image.Height, image.Width, positionTheta, d);
        for (var i = 0; i < image.PixelCount; i++)
        {
            for (var c = 0; c < image.Channels; c++)
            {
                features[(i * d) + 2 + c] = image.Pixels[(i * image.Channels) + c] / intensityTheta;
            }
        }

        return features;
    }

    private static float[] Positions(int height, int width, float theta, int d)
    {
        var features = new float[height * width * d];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var i = ((y * width) + x) * d;
                features[i] = x / theta;
                features[i + 1] = y / theta;
            }
        }

        return features;
    }
}
