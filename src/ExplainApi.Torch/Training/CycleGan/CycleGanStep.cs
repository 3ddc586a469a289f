using ExplainApi.Core.Datasets;
using TorchSharp;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Training.CycleGan;

/// <summary>
/// One optimisation step of CycleGAN (Zhu et al., ICCV 2017, eq. 1–3 and §4; the official optimize_parameters), LSGAN
/// form (Mao et al., ICCV 2017):
/// generators: L_G = (D_A(G_A(a)) − 1)² + (D_B(G_B(b)) − 1)² + λ‖G_B(G_A(a)) − a‖₁ + λ‖G_A(G_B(b)) − b‖₁
/// + λ·λ_idt(‖G_A(b) − b‖₁ + ‖G_B(a) − a‖₁) with the discriminators frozen; then each discriminator
/// L_D = ½[(D(real) − 1)² + D(pooled fake)²], the fakes drawn through the <see cref="ImagePool"/>s. Means over pixels and batch.
/// </summary>
public sealed class CycleGanStep : IDisposable
{
    private readonly CycleGanNetworks _networks;
    private readonly Scalar _cycle, _identity, _half;

    public CycleGanStep(CycleGanNetworks networks, CycleGanOptions options, KeptAliveAdam generators, KeptAliveAdam discriminatorA, KeptAliveAdam discriminatorB)
    {
        ArgumentNullException.ThrowIfNull(options);
        _networks = networks;
        (Generators, DiscriminatorA, DiscriminatorB) = (generators, discriminatorA, discriminatorB);
        // Held for the whole run: a temporary Scalar may be freed by a GC mid-call (see Classifier.LiveScalars).
        (_cycle, _identity, _half) = (options.LambdaCycle.ToScalar(), (options.LambdaCycle * options.LambdaIdentity).ToScalar(), 0.5.ToScalar());
    }

    public KeptAliveAdam Generators { get; }

    public KeptAliveAdam DiscriminatorA { get; }

    public KeptAliveAdam DiscriminatorB { get; }

    /// <returns>The losses by the official names (G_A, cycle_A, idt_A, D_A, and the same for B).</returns>
    public Dictionary<string, double> Run(Tensor realA, Tensor realB, ImagePool poolA, ImagePool poolB, SplitMix64 randomA, SplitMix64 randomB)
    {
        ArgumentNullException.ThrowIfNull(poolA);
        ArgumentNullException.ThrowIfNull(poolB);
        using var scope = NewDisposeScope();
        var (gA, gB, dA, dB) = (_networks.GeneratorA2B, _networks.GeneratorB2A, _networks.DiscriminatorB, _networks.DiscriminatorA);
        var fakeB = gA.call(realA);
        var fakeA = gB.call(realB);

        Freeze(dA, true);
        Freeze(dB, true);
        Generators.ZeroGrad();
        var adversarialA = Lsgan(dA.call(fakeB), real: true);
        var adversarialB = Lsgan(dB.call(fakeA), real: true);
        var cycleA = nn.functional.l1_loss(gB.call(fakeB), realA);
        var cycleB = nn.functional.l1_loss(gA.call(fakeA), realB);
        var identityA = nn.functional.l1_loss(gA.call(realB), realB);
        var identityB = nn.functional.l1_loss(gB.call(realA), realA);
        var generatorLoss = Sum(Sum(adversarialA, adversarialB), Sum(cycleA, cycleB).mul(_cycle), Sum(identityA, identityB).mul(_identity));
        generatorLoss.backward();
        Generators.Step();
        Freeze(dA, false);
        Freeze(dB, false);

        var discriminatorLossA = DiscriminatorStep(dA, DiscriminatorA, realB, poolB.Query(fakeB, randomB));
        var discriminatorLossB = DiscriminatorStep(dB, DiscriminatorB, realA, poolA.Query(fakeA, randomA));
        return new Dictionary<string, double>
        {
            ["G_A"] = adversarialA.item<float>(), ["cycle_A"] = cycleA.item<float>(), ["idt_A"] = identityA.item<float>(), ["D_A"] = discriminatorLossA,
            ["G_B"] = adversarialB.item<float>(), ["cycle_B"] = cycleB.item<float>(), ["idt_B"] = identityB.item<float>(), ["D_B"] = discriminatorLossB,
        };
    }

    private double DiscriminatorStep(PatchDiscriminator discriminator, KeptAliveAdam optimizer, Tensor real, Tensor pooledFake)
    {
        optimizer.ZeroGrad();
        var loss = Sum(Lsgan(discriminator.call(real), real: true), Lsgan(discriminator.call(pooledFake.detach()), real: false)).mul(_half);
        loss.backward();
        optimizer.Step();
        return loss.item<float>();
    }

    /// <summary>Σ terms with a kept-alive α = 1 (the + operator's temporary Scalar could be freed mid-call).</summary>
    private static Tensor Sum(params Tensor[] terms) => terms.Skip(1).Aggregate(terms[0], (sum, t) => sum.add(t, Classifier.LiveScalars.One));

    /// <summary>Least-squares GAN loss: mean (s − 1)² for real, mean s² for fake.</summary>
    private static Tensor Lsgan(Tensor scores, bool real) =>
        nn.functional.mse_loss(scores, real ? ones_like(scores) : zeros_like(scores));

    /// <summary>The official set_requires_grad: no gradients of a discriminator while the generators learn.</summary>
    private static void Freeze(nn.Module discriminator, bool frozen)
    {
        foreach (var parameter in discriminator.parameters())
        {
            parameter.requires_grad = !frozen;
        }
    }

    public void Dispose()
    {
        _cycle.Dispose();
        _identity.Dispose();
        _half.Dispose();
    }
}
