using Xunit;

// The tests share the kernel (namespaces, /run/myvpn) and two cores: one at a time keeps them
// independent and their timing honest.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
